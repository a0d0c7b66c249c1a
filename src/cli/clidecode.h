#pragma once

#include "codecoptions.h"

#include <QtCore/QByteArray>
#include <QtCore/QCoreApplication>
#include <QtCore/QString>

class QCommandLineParser;

// --decode [--proto FILE --type MESSAGE] of get and export: a value through the decoders' chain
// (CodecChain: Base64, gzip, zlib, zstd, MessagePack, CBOR, the user's Protobuf message, JSON, text) to
// JSON, the chain said as "zstd → MessagePack". --proto alone implies --decode. --max-decoded-size SIZE
// (KvUnits' sizes) sets how far a decompression may go (CodecOptions::maxOutputSize); a value past it
// fails naming the cap.
class CliDecode final
{
    Q_DECLARE_TR_FUNCTIONS(CliDecode)

public:
    static void addOptions(QCommandLineParser *parser);
    // Reads the flags and the .proto file; the usage problem (a .proto that does not compile, a message it
    // lacks) or an empty string.
    QString prepare(const QCommandLineParser &parser);
    // Whether prepare()'s problem was kvdesk's Protobuf module failing to load: the installation's
    // fault (exit status 1), not the command line's.
    bool moduleFailed() const { return m_moduleFailed; }
    bool isEnabled() const { return m_enabled; }

    // value as JSON (indented; key order as stored) and its chain; false (and *error, the reason) when no
    // decoder fits it.
    bool decode(const QByteArray &value, QString *json, QString *chain, QString *error) const;
    // json without the white space between its tokens, for one NDJSON line.
    static QString compact(const QString &json);

private:
    QString prepareCap(const QCommandLineParser &parser);

    bool m_enabled = false;
    bool m_moduleFailed = false;
    CodecOptions m_options;
};
