#include "natstestcertificates.h"

#include <QtCore/QFile>
#include <QtCore/QProcess>

using namespace Qt::StringLiterals;

bool NatsTestCertificates::create()
{
    if (!m_dir.isValid()) {
        m_error = u"no temporary directory: "_s + m_dir.errorString();
        return false;
    }
    const QStringList rsa{u"-newkey"_s, u"rsa:2048"_s, u"-nodes"_s};
    // The intermediate signs certificates: a CA with keyCertSign, as OpenSSL insists.
    const bool made = openssl(QStringList{u"req"_s, u"-x509"_s} + rsa
                              + QStringList{u"-keyout"_s, u"ca.key"_s, u"-out"_s, u"ca.pem"_s, u"-days"_s, u"2"_s,
                                            u"-subj"_s, u"/CN=kvdesk test root CA"_s})
        && writeFile(u"intermediate.ext"_s,
                     "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n")
        && openssl(QStringList{u"req"_s} + rsa
                   + QStringList{u"-keyout"_s, u"intermediate.key"_s, u"-out"_s, u"intermediate.csr"_s, u"-subj"_s,
                                 u"/CN=kvdesk test intermediate CA"_s})
        && openssl({u"x509"_s, u"-req"_s, u"-in"_s, u"intermediate.csr"_s, u"-CA"_s, u"ca.pem"_s, u"-CAkey"_s,
                    u"ca.key"_s, u"-CAcreateserial"_s, u"-days"_s, u"2"_s, u"-out"_s, u"intermediate.pem"_s,
                    u"-extfile"_s, u"intermediate.ext"_s})
        && makeCertificate(u"server"_s, u"ca"_s, u"serverAuth"_s, u"DNS:localhost,IP:127.0.0.1"_s)
        && makeCertificate(u"client"_s, u"ca"_s, u"clientAuth"_s)
        && makeCertificate(u"chainclient"_s, u"intermediate"_s, u"clientAuth"_s)
        && encryptKey(u"client"_s, u"client-pkcs8"_s, u"pkcs8"_s, KeyPassphrase)
        && encryptKey(u"client"_s, u"client-traditional"_s, u"traditional"_s, KeyPassphrase);
    if (!made)
        return false;
    // The chain client's file: the leaf first, then the CA that signed it (the root stays with the server).
    QFile leaf(file(u"chainclient.pem"_s));
    QFile intermediate(file(u"intermediate.pem"_s));
    if (!leaf.open(QIODevice::ReadOnly) || !intermediate.open(QIODevice::ReadOnly)) {
        m_error = u"cannot read the chain client's certificates"_s;
        return false;
    }
    return writeFile(u"chainclient-chain.pem"_s, leaf.readAll() + intermediate.readAll());
}

QByteArray NatsTestCertificates::serverTlsBlock(bool verify, bool handshakeFirst) const
{
    QByteArray block = "tls {\n"_ba;
    block += "  cert_file: \""_ba + file(u"server.pem"_s).toUtf8() + "\"\n"_ba;
    block += "  key_file: \""_ba + file(u"server.key"_s).toUtf8() + "\"\n"_ba;
    block += "  ca_file: \""_ba + file(u"ca.pem"_s).toUtf8() + "\"\n"_ba;
    if (verify)
        block += "  verify: true\n"_ba;
    if (handshakeFirst)
        block += "  handshake_first: true\n"_ba;
    // A loaded 2-core test machine can take longer than the default half second for a handshake.
    block += "  timeout: 5\n}\n"_ba;
    return block;
}

bool NatsTestCertificates::makeCertificate(const QString &name, const QString &caName, const QString &usage,
                                           const QString &subjectAltName)
{
    QByteArray extensions = "basicConstraints=CA:FALSE\nextendedKeyUsage="_ba + usage.toUtf8() + "\n"_ba;
    if (!subjectAltName.isEmpty())
        extensions += "subjectAltName="_ba + subjectAltName.toUtf8() + "\n"_ba;
    return writeFile(name + u".ext"_s, extensions)
        && openssl({u"req"_s, u"-newkey"_s, u"rsa:2048"_s, u"-nodes"_s, u"-keyout"_s, name + u".key"_s, u"-out"_s,
                    name + u".csr"_s, u"-subj"_s, u"/CN="_s + name})
        && openssl({u"x509"_s, u"-req"_s, u"-in"_s, name + u".csr"_s, u"-CA"_s, caName + u".pem"_s, u"-CAkey"_s,
                    caName + u".key"_s, u"-CAcreateserial"_s, u"-days"_s, u"2"_s, u"-out"_s, name + u".pem"_s,
                    u"-extfile"_s, name + u".ext"_s});
}

bool NatsTestCertificates::encryptKey(const QString &name, const QString &target, const QString &format,
                                      const QByteArray &passphrase)
{
    const QString pass = u"pass:"_s + QString::fromUtf8(passphrase);
    if (format == "pkcs8"_L1) {
        return openssl({u"pkcs8"_s, u"-topk8"_s, u"-in"_s, name + u".key"_s, u"-out"_s, target + u".key"_s,
                        u"-passout"_s, pass, u"-v2"_s, u"aes256"_s});
    }
    return openssl({u"rsa"_s, u"-in"_s, name + u".key"_s, u"-out"_s, target + u".key"_s, u"-aes256"_s, u"-passout"_s,
                    pass, u"-traditional"_s});
}

bool NatsTestCertificates::openssl(const QStringList &arguments)
{
    QProcess process;
    process.setWorkingDirectory(m_dir.path());
    process.start(u"openssl"_s, arguments);
    if (!process.waitForFinished(60000) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        m_error = u"openssl %1 failed: %2 %3"_s.arg(arguments.join(u' '), process.errorString(),
                                                    QString::fromLocal8Bit(process.readAllStandardError()));
        return false;
    }
    return true;
}

bool NatsTestCertificates::writeFile(const QString &name, const QByteArray &content)
{
    QFile out(file(name));
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate) || out.write(content) != content.size()) {
        m_error = u"cannot write %1: %2"_s.arg(out.fileName(), out.errorString());
        return false;
    }
    return true;
}
