#include "fuzzsupport.h"

#include "valuedocument.h"
#include "valueformat.h"

#include <QtCore/QHash>
#include <QtGui/QGuiApplication>

#include <initializer_list>

// What the value panel does with a value (the input is the value): ValueFormat's choice of view and its
// renderings (JSON re-indented, CBOR in diagnostic notation, hex, Base64), and ValueDocument's promise that
// an edit changes the value only where the user typed.
//
// Properties: Base64 gives the bytes back; in the Text view, a character typed anywhere is the only
// change to the bytes; in the JSON view a change leaves the layout as stored (compact JSON, shown
// indented, is saved compact with its surrounding white space), and a reformat is valid JSON.

using View = ValueFormat::View;

namespace {

// The value with c inserted at some point: what remains around it is value unchanged.
bool isInsertion(const QString &edited, const QString &source, QChar c)
{
    if (edited.size() != source.size() + 1)
        return false;
    qsizetype prefix = 0;
    while (prefix < source.size() && edited[prefix] == source[prefix])
        ++prefix;
    return edited[prefix] == c && QStringView(edited).mid(prefix + 1) == QStringView(source).mid(prefix);
}

void checkText(const QByteArray &value, const ValueDocument &document, size_t hash)
{
    QByteArray saved;
    QString error;
    FUZZ_CHECK(document.toValue(document.text(), &saved, &error) && saved == value);
    QString edited = document.text();
    // Where a cursor can be: between characters, never between the two halves of a surrogate pair.
    qsizetype at = qsizetype(hash % size_t(edited.size() + 1));
    if (at > 0 && at < edited.size() && edited[at].isLowSurrogate() && edited[at - 1].isHighSurrogate())
        --at;
    edited.insert(at, u'x');
    FUZZ_CHECK(document.toValue(edited, &saved, &error));
    QString source;
    FUZZ_CHECK(ValueFormat::decodeText(value, &source));
    QString savedText;
    FUZZ_CHECK(ValueFormat::decodeText(saved, &savedText));
    FUZZ_CHECK(isInsertion(savedText, source, u'x'));
}

void checkJson(const QByteArray &value, ValueDocument document)
{
    QByteArray saved;
    QString error;
    FUZZ_CHECK(document.toValue(document.text(), &saved, &error) && saved == value);
    // The JSON view edits the value as stored (compact stays compact): a space typed at the end is
    // exactly one byte more.
    FUZZ_CHECK(document.toValue(document.text() + u' ', &saved, &error));
    FUZZ_CHECK(saved == value + ' ');
    FUZZ_CHECK(document.reformat(document.text(), &error));
    FUZZ_CHECK(ValueFormat::isValidJson(document.value()));
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    // QTextDocument, which the editor text is checked against, needs a QGuiApplication.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    static int argc = 1;
    static char name[] = "fuzz_valueviews";
    static char *argv[] = {name, nullptr};
    static QGuiApplication app(argc, argv);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray value = fuzzInput(data, size);
    ValueFormat::detect(value);
    for (const View view : {View::Text, View::Json, View::Hex, View::Base64, View::Cbor}) {
        QString text;
        QString error;
        if (!ValueFormat::render(value, view, &text, &error))
            FUZZ_CHECK(!error.isEmpty());
        ValueDocument document;
        if (!document.setValue(value, view, &error)) {
            FUZZ_CHECK(!error.isEmpty());
            continue;
        }
        if (view == View::Text)
            checkText(value, document, qHash(value));
        else if (view == View::Json)
            checkJson(value, document);
    }
    QByteArray decoded;
    QString error;
    FUZZ_CHECK(ValueFormat::parse(QString::fromLatin1(value.toBase64()), View::Base64, &decoded, &error));
    FUZZ_CHECK(decoded == value);
    return 0;
}
