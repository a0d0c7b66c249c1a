#include "natscredentials.h"

#include "natscrypto.h"
#include "natsnkey.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QFile>
#include <QtCore/QList>

using namespace Qt::StringLiterals;

// Parsing mirrors nkeys' creds_utils.go (userConfigRE, ParseDecoratedJWT/ParseDecoratedNKey); see
// docs/nats-protocol.md §2.3.

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("NatsCredentials", text);
}

void wipe(QByteArray &bytes)
{
    // Only a buffer we own alone: data() on a shared one would detach and wipe a fresh copy instead.
    if (!bytes.isEmpty() && bytes.isDetached())
        NatsCrypto::cleanse(bytes.data(), static_cast<size_t>(bytes.size()));
    bytes.clear();
}

// "-----BEGIN NATS USER JWT-----": at least three dashes, any text, at least three dashes.
bool isFence(const QByteArray &line)
{
    return line.size() >= 6 && line.startsWith("---") && line.endsWith("---");
}

// nkeys accepts [\w\-.=]+ between fences: base64url JWTs and base32 seeds both fit.
bool isBlockContent(const QByteArray &line)
{
    if (line.isEmpty())
        return false;
    for (const char c : line) {
        const bool allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'
            || c == '-' || c == '.' || c == '=';
        if (!allowed)
            return false;
    }
    return true;
}

bool isSeedLine(const QByteArray &line)
{
    return line.startsWith("SO") || line.startsWith("SA") || line.startsWith("SU");
}

// Splits into lines without their LF or CRLF ends.
QList<QByteArray> splitLines(const QByteArray &content)
{
    QList<QByteArray> lines = content.split('\n');
    for (QByteArray &line : lines) {
        if (line.endsWith('\r'))
            line.chop(1);
    }
    return lines;
}

void wipeAll(QList<QByteArray> &lines)
{
    for (QByteArray &line : lines)
        wipe(line);
}
} // namespace

bool NatsCredentials::parse(const QByteArray &content, NatsCredentials *out, QString *errorMessage)
{
    const auto fail = [errorMessage](const QString &message) {
        if (errorMessage)
            *errorMessage = message;
        return false;
    };

    QList<QByteArray> lines = splitLines(content);
    QList<QByteArray> blocks;
    for (qsizetype i = 0; i + 2 < lines.size();) {
        if (isFence(lines.at(i)) && isBlockContent(lines.at(i + 1)) && isFence(lines.at(i + 2))) {
            blocks.append(lines.at(i + 1));
            i += 3;
        } else {
            ++i;
        }
    }

    QByteArray jwt;
    QByteArray seed;
    if (!blocks.isEmpty())
        jwt = blocks.at(0);
    if (blocks.size() > 1)
        seed = blocks.at(1);

    if (blocks.size() < 2) {
        // No seed block: like nkeys, take the first line that looks like a seed.
        for (const QByteArray &line : std::as_const(lines)) {
            const QByteArray trimmed = line.trimmed();
            if (isSeedLine(trimmed)) {
                seed = trimmed;
                break;
            }
        }
    }
    if (blocks.isEmpty()) {
        // nkeys returns the whole undecorated file as the JWT, which only works for a file holding the JWT
        // alone; taking the first other non-empty line also serves a JWT with its seed on the next line.
        for (const QByteArray &line : std::as_const(lines)) {
            const QByteArray trimmed = line.trimmed();
            if (!trimmed.isEmpty() && !isSeedLine(trimmed)) {
                jwt = trimmed;
                break;
            }
        }
    }
    wipeAll(lines);
    wipeAll(blocks);

    if (jwt.isEmpty()) {
        wipe(seed);
        return fail(tr("the credentials contain no user JWT"));
    }
    if (jwt.count('.') != 2) {
        wipe(seed);
        return fail(tr("the credentials' user JWT is malformed (expected header.claims.signature)"));
    }
    if (seed.isEmpty())
        return fail(tr("the credentials contain no NKEY seed"));
    if (!isSeedLine(seed)) {
        wipe(seed);
        return fail(tr("the credentials' NKEY block holds no seed (a seed starts with \"SU\", \"SA\" or \"SO\")"));
    }
    QString keyError;
    if (!NatsNKey::fromSeed(seed, &keyError).isValid()) {
        wipe(seed);
        return fail(tr("the credentials' NKEY seed is invalid: %1").arg(keyError));
    }

    if (out) {
        out->clear();
        out->m_jwt = jwt;
        out->m_seed = seed;
    } else {
        wipe(seed);
    }
    return true;
}

bool NatsCredentials::load(const QString &path, NatsCredentials *out, QString *errorMessage)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (errorMessage) {
            *errorMessage = tr("cannot read the credentials file %1: %2").arg(path, file.errorString());
        }
        return false;
    }
    QByteArray content = file.readAll();
    QString parseError;
    const bool ok = parse(content, out, &parseError);
    wipe(content);
    if (!ok && errorMessage)
        *errorMessage = tr("%1: %2").arg(path, parseError);
    return ok;
}

QByteArray NatsCredentials::format(const QByteArray &jwt, const QByteArray &seed)
{
    // Byte for byte what the jwt library's FormatUserConfig writes (formatJwt + DecorateSeed).
    const QByteArray trimmedSeed = seed.trimmed();
    QByteArray kind = "USER"_ba;
    if (trimmedSeed.startsWith("SA"))
        kind = "ACCOUNT"_ba;
    else if (trimmedSeed.startsWith("SO"))
        kind = "OPERATOR"_ba;

    QByteArray out;
    out += "-----BEGIN NATS USER JWT-----\n"_ba;
    out += jwt.trimmed();
    out += "\n------END NATS USER JWT------\n\n"_ba;
    out += "************************* IMPORTANT *************************\n"
           "NKEY Seed printed below can be used to sign and prove identity.\n"
           "NKEYs are sensitive and should be treated as secrets.\n\n"_ba;
    out += "-----BEGIN "_ba + kind + " NKEY SEED-----\n"_ba;
    out += trimmedSeed;
    out += "\n------END "_ba + kind + " NKEY SEED------\n\n"_ba;
    out += "*************************************************************\n"_ba;
    return out;
}

void NatsCredentials::clear()
{
    m_jwt.clear();
    wipe(m_seed);
}
