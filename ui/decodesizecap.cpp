#include "decodesizecap.h"

#include "codecoptions.h"
#include "kvunits.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QPointer>
#include <QtCore/QSettings>
#include <QtWidgets/QInputDialog>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QMessageBox>

using namespace Qt::StringLiterals;

namespace {

const QString kKey = u"decoding/maxDecodedSize"_s;

} // namespace

DecodeSizeCap *DecodeSizeCap::instance()
{
    static QPointer<DecodeSizeCap> instance;
    if (!instance)
        instance = new DecodeSizeCap(QCoreApplication::instance());
    return instance;
}

qint64 DecodeSizeCap::bytes()
{
    const qint64 bytes = QSettings().value(kKey, CodecOptions::defaultMaxOutputSize).toLongLong();
    return bytes > 0 ? bytes : CodecOptions::defaultMaxOutputSize;
}

void DecodeSizeCap::setBytes(qint64 bytes)
{
    const qint64 before = DecodeSizeCap::bytes();
    if (bytes == CodecOptions::defaultMaxOutputSize)
        QSettings().remove(kKey);
    else
        QSettings().setValue(kKey, bytes);
    if (DecodeSizeCap::bytes() != before)
        Q_EMIT instance()->changed(DecodeSizeCap::bytes());
}

bool DecodeSizeCap::parse(const QString &text, qint64 *bytes, QString *error)
{
    qint64 parsed = 0;
    if (!KvUnits::parseSize(text.trimmed(), &parsed, error))
        return false;
    if (parsed <= 0) {
        *error = tr("the cap must be above zero, not %1").arg(text.trimmed());
        return false;
    }
    *bytes = parsed;
    return true;
}

bool DecodeSizeCap::ask(QWidget *parent)
{
    QString text = KvUnits::iBytes(bytes());
    for (;;) {
        bool ok = false;
        text = QInputDialog::getText(parent, tr("Decoded Size Cap"),
                                     tr("The most a value may take once decompressed (default %1):")
                                         .arg(KvUnits::iBytes(CodecOptions::defaultMaxOutputSize)),
                                     QLineEdit::Normal, text, &ok);
        if (!ok)
            return false;
        qint64 chosen = 0;
        QString error;
        if (parse(text, &chosen, &error)) {
            setBytes(chosen);
            return true;
        }
        QMessageBox::warning(parent, tr("Decoded Size Cap"), error);
    }
}
