#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>

// A user JWT and its NKEY seed, as found in a ".creds" file written by nsc/nkeys:
//   -----BEGIN NATS USER JWT-----  <jwt>  ------END NATS USER JWT------
//   -----BEGIN USER NKEY SEED-----  <seed> ------END USER NKEY SEED------
// LF or CRLF line ends. A file without fences is taken as a bare JWT, with the seed as the first
// trimmed line starting "SO", "SA" or "SU" (the rule nkeys follows).
class NatsCredentials
{
public:
    NatsCredentials() = default;

    // Parses file content. On failure returns false and sets *errorMessage to what is missing or malformed.
    static bool parse(const QByteArray &content, NatsCredentials *out, QString *errorMessage);
    // Reads and parses a file; the message names the file.
    static bool load(const QString &path, NatsCredentials *out, QString *errorMessage);
    // Writes the same layout as nkeys' FormatUserConfig (used by tests and the app's context import).
    static QByteArray format(const QByteArray &jwt, const QByteArray &seed);

    QByteArray jwt() const { return m_jwt; }
    QByteArray seed() const { return m_seed; }
    void clear(); // wipes the seed

private:
    QByteArray m_jwt;
    QByteArray m_seed;
};
