#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QTemporaryDir>

// Certificates for TLS tests, made fresh by openssl for every run in a temporary directory: a root CA
// ("ca"), an intermediate CA under it ("intermediate"), a server certificate for localhost and 127.0.0.1
// ("server"), a client certificate from the root ("client"), one from the intermediate ("chainclient";
// "chainclient-chain.pem" holds the leaf then the intermediate) and the client key encrypted with
// KeyPassphrase ("client-pkcs8.key", "client-traditional.key"). Files are <name>.pem / <name>.key in dir().
class NatsTestCertificates final
{
public:
    static constexpr const char *KeyPassphrase = "Key-Pass-5up3r";

    // Makes the set; false with errorString() when openssl failed.
    bool create();
    QString errorString() const { return m_error; }
    QString dir() const { return m_dir.path(); }
    QString file(const QString &name) const { return m_dir.filePath(name); }

    // A nats-server `tls { }` block with the server certificate, trusting the root CA, with
    // `verify: true` when clients must show a certificate, and `handshake_first: true` (2.10+) when asked.
    QByteArray serverTlsBlock(bool verify, bool handshakeFirst = false) const;

    // <name>.key and <name>.pem signed by <caName>; usage "serverAuth" or "clientAuth"; subjectAltName
    // empty for none.
    bool makeCertificate(const QString &name, const QString &caName, const QString &usage,
                         const QString &subjectAltName = {});
    // <name>.key encrypted with passphrase into <target>: "pkcs8" (BEGIN ENCRYPTED PRIVATE KEY) or
    // "traditional" (Proc-Type: 4,ENCRYPTED).
    bool encryptKey(const QString &name, const QString &target, const QString &format, const QByteArray &passphrase);

private:
    bool openssl(const QStringList &arguments);
    bool writeFile(const QString &name, const QByteArray &content);

    QTemporaryDir m_dir;
    QString m_error;
};
