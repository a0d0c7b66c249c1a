#include "keyttlfield.h"

#include "jetstreamcontext.h"
#include "jsservercapabilities.h"
#include "kvbucket.h"
#include "kvttl.h"
#include "kvttlcheck.h"
#include "kvunits.h"

using namespace Qt::StringLiterals;

KeyTtlField::KeyTtlField(QWidget *parent)
    : QLineEdit(parent)
{
    setPlaceholderText(tr("none, or e.g. 30s, 15m, 1h, never"));
    setAccessibleName(tr("TTL"));
    setEnabled(false);
    setToolTip(tr("Asking the server and the bucket whether keys may have a TTL…"));
}

void KeyTtlField::setBucket(KvBucket *bucket)
{
    m_bucket = bucket;
    KvTtlCheck::check(bucket, 0, this, [this](const NatsError &problem) {
        m_available = !problem.isError();
        setEnabled(m_available);
        setToolTip(m_available ? tr("The server removes the key after this long (at least 1 s). Only a create "
                                    "or a purge takes a TTL; a later save writes a value without one.")
                               : problem.message());
        // Greyed out, the field says why in its text as well: Tab skips it, so its tooltip is never seen
        // from the keyboard. Short enough to fit; the tooltip has the whole reason.
        setPlaceholderText(m_available ? tr("none, or e.g. 30s, 15m, 1h, never") : shortReason(problem));
        if (!m_available)
            clear();
        Q_EMIT availabilityChanged(m_available);
    });
}

QString KeyTtlField::shortReason(const NatsError &problem) const
{
    using Feature = JsServerCapabilities::Feature;
    const JsServerCapabilities *server = m_bucket ? m_bucket->jetStream()->capabilities() : nullptr;
    if (server && !server->supports(Feature::MessageTtl))
        return tr("no TTL: needs %1").arg(JsServerCapabilities::requirement(Feature::MessageTtl));
    if (m_bucket && !m_bucket->boundStatus().config.allowsKeyTtl())
        return tr("no TTL: bucket \"%1\" has no marker TTL").arg(m_bucket->name());
    return problem.message();
}

bool KeyTtlField::read(qint64 *ns, QString *problem) const
{
    *ns = 0;
    const QString text = this->text().trimmed();
    if (text.isEmpty() || !isEnabled())
        return true;
    if (text.compare("never"_L1, Qt::CaseInsensitive) == 0) {
        *ns = KvTtl::Never;
        return true;
    }
    qint64 value = 0;
    if (!KvUnits::parseDuration(text, &value, problem)) {
        *problem = tr("TTL: %1").arg(*problem);
        return false;
    }
    const QString invalid = KvTtl::validate(value);
    if (!invalid.isEmpty()) {
        *problem = tr("TTL: %1").arg(invalid);
        return false;
    }
    *ns = value;
    return true;
}
