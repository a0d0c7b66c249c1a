#pragma once

#include "codecchain.h"
#include "editortext.h"
#include "valueformat.h"

#include <QtCore/QByteArray>
#include <QtCore/QString>

// One value as the editor shows it in one view, and the editor's text back to bytes that differ from the
// value only where the user typed. The Text and JSON views keep the value's line endings, no-break
// spaces, line and paragraph separators and byte order mark (see EditorText), and refuse a value they
// could not give back byte for byte. The JSON view shows JSON as it is stored, compact or not: only an
// explicit reformat() lays it out anew (and a save then stores it so). The Decoded view shows the value
// through the decoders' chain (CodecChain) and encodes an edit with the same chain; it is read-only, with
// the reason, where that chain cannot give the value back exactly.
class ValueDocument
{
public:
    using View = ValueFormat::View;

    // Shows value in view. False (and *error says why, naming the view to use instead) when view cannot
    // show it, or could not save it back unchanged.
    bool setValue(const QByteArray &value, View view, QString *error);
    void clear();
    // What the Decoded view may use: the user's Protobuf message for this key, the size cap.
    void setCodecOptions(const CodecOptions &options) { m_codecOptions = options; }
    CodecOptions codecOptions() const { return m_codecOptions; }
    // The view that suits value best, with the codec options (a mapped Protobuf message is decoded).
    View detectView(const QByteArray &value) const { return ValueFormat::detect(value, m_codecOptions); }

    QByteArray value() const { return m_value; }
    View view() const { return m_view; }
    // What the editor shows.
    QString text() const { return m_text.shown(); }
    bool isEditable() const;
    // In the Decoded view: "zstd → MessagePack, shown as JSON"; empty in the others.
    QString chainDescription() const;
    // Why the Decoded view is read-only for this value; empty when it is editable or another view shows it.
    QString readOnlyReason() const;
    // The editor shows JSON (the JSON view, or a decoded form that is JSON).
    bool showsJson() const;
    // What the editor does not show but a save keeps ("CRLF line endings, kept"), or empty.
    QString layoutNote() const;

    // The bytes editedText stands for; false (and *error) when it is not valid for the view.
    bool toValue(const QString &editedText, QByteArray *value, QString *error) const;
    // The same bytes, valid for the view or not (JSON still being typed); false in the views whose text
    // is an encoding of the bytes (hex, base64, CBOR), where an invalid text stands for none.
    bool toBytes(const QString &editedText, QByteArray *value) const;
    // The user's explicit choice in the JSON view: editedText indented, and saved so. False (and *error)
    // when it is not JSON.
    bool reformat(const QString &editedText, QString *error);

private:
    bool setText(const QByteArray &value, QString *error);
    bool setJson(const QByteArray &value, QString *error);
    bool setEditorText(const QString &source, QString *error);
    bool setDecoded(const QByteArray &value, QString *error);

    QByteArray m_value;
    View m_view = View::Text;
    EditorText m_text;
    CodecOptions m_codecOptions;
    CodecChain m_chain; // the Decoded view's
    QString m_readOnlyReason;
};
