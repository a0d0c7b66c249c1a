#pragma once

#include "codecoptions.h"

#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QString>

// Which values are which Protobuf message: entries of bucket (empty: any) and key pattern (NATS wildcards:
// "*" one token, ">" the rest) to a .proto file and a message, the first that matches wins. The files
// are read when a value first needs them, and once.
class CodecProtoMap final
{
public:
    struct Entry
    {
        QString bucket;
        QString keyPattern;
        QString protoFile;
        QString messageType;
        bool operator==(const Entry &other) const = default;
    };

    CodecProtoMap() = default;
    explicit CodecProtoMap(const QList<Entry> &entries);

    QList<Entry> entries() const { return m_entries; }
    bool isEmpty() const { return m_entries.isEmpty(); }
    // The options for a value of key in bucket: its message, if an entry maps one. When that entry's file
    // does not load or lacks the message, *error says why and the options have none.
    CodecOptions optionsFor(const QString &bucket, const QString &key, QString *error) const;
    static bool matches(const QString &pattern, const QString &key);

    // The entries as lines "BUCKET KEY-PATTERN MESSAGE FILE" ("*" for any bucket; the file, last, may
    // hold spaces; blank lines and "#" comments are skipped), as the connection dialog edits them.
    static QString toText(const QList<Entry> &entries);
    // False (and *error naming the line) when a line lacks one of the four.
    static bool fromText(const QString &text, QList<Entry> *entries, QString *error);

private:
    QList<Entry> m_entries;
    mutable QHash<QString, std::shared_ptr<const CodecProtobuf>> m_loaded; // by file
    mutable QHash<QString, QString> m_failed;                              // file: why
};
