#include "bucketfeaturesbox.h"

#include "jsservercapabilities.h"
#include "kvunits.h"
#include "wrappedlabel.h"

#include <QtWidgets/QCheckBox>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QLineEdit>

using namespace Qt::StringLiterals;

BucketFeaturesBox::BucketFeaturesBox(QWidget *parent)
    : QGroupBox(tr("TTLs, compression and metadata"), parent)
    , m_markerTtl(new QLineEdit(this))
    , m_compressed(new QCheckBox(tr("Compress stored values (s2)"), this))
    , m_metadata(new QLineEdit(this))
    , m_serverMetadata(new QLineEdit(this))
    , m_note(new WrappedLabel(this))
{
    m_markerTtl->setObjectName(u"markerTtl"_s);
    m_markerTtl->setPlaceholderText(tr("none, or e.g. 1m: keys may then have their own TTL"));
    m_markerTtl->setAccessibleName(tr("Marker TTL"));
    m_compressed->setObjectName(u"compressed"_s);
    m_metadata->setObjectName(u"metadata"_s);
    m_metadata->setPlaceholderText(tr("KEY=VALUE, comma separated"));
    m_metadata->setAccessibleName(tr("Metadata"));
    m_serverMetadata->setObjectName(u"serverMetadata"_s);
    m_serverMetadata->setReadOnly(true);
    m_serverMetadata->setToolTip(tr("Written by the server itself (_nats.*): not yours to change"));
    auto *form = new QFormLayout(this);
    form->addRow(tr("&Marker TTL:"), m_markerTtl);
    form->addRow(QString(), m_compressed);
    form->addRow(tr("M&etadata:"), m_metadata);
    form->addRow(tr("Server metadata:"), m_serverMetadata);
    form->setRowVisible(m_serverMetadata, false); // shown when the server wrote some
    m_note->setObjectName(u"featuresNote"_s);
    m_note->setWordWrap(true);
    form->addRow(m_note);
    connect(m_markerTtl, &QLineEdit::textChanged, this, &BucketFeaturesBox::changed);
    connect(m_metadata, &QLineEdit::textChanged, this, &BucketFeaturesBox::changed);
    connect(m_compressed, &QCheckBox::toggled, this, &BucketFeaturesBox::changed);
    updateAvailability(); // each control's help, before a server is known
}

void BucketFeaturesBox::setServer(JsServerCapabilities *server)
{
    m_server = server;
    if (server) {
        connect(server, &JsServerCapabilities::changed, this, &BucketFeaturesBox::updateAvailability);
        server->whenKnown(this, [this](const NatsError &) { updateAvailability(); });
    }
    updateAvailability();
}

void BucketFeaturesBox::updateAvailability()
{
    using Feature = JsServerCapabilities::Feature;
    const auto offer = [this](QWidget *control, Feature feature, const QString &help) {
        const bool known = !m_server || m_server->isLevelKnown() || feature == Feature::Compression
            || feature == Feature::Metadata;
        const bool has = !m_server || (known && m_server->supports(feature));
        control->setEnabled(has);
        control->setToolTip(
            has ? help
                : (known ? m_server->refusal(feature).message()
                         : tr("Asking the server whether it has %1…").arg(JsServerCapabilities::featureName(feature))));
    };
    offer(m_markerTtl, Feature::LimitMarkers,
          tr("When a key's TTL or the bucket's maximum age empties it, the server leaves a marker this long, so "
             "watchers learn the key is gone. Also lets keys be created with a TTL of their own."));
    offer(m_compressed, Feature::Compression, tr("The server stores the values compressed with s2"));
    offer(m_metadata, Feature::Metadata, tr("Your own KEY=VALUE pairs, stored with the bucket"));
    updateNote();
}

// "nats://…:4222 runs 2.9.10: Marker TTL needs nats-server 2.11 or newer; compression and metadata need
// nats-server 2.10 or newer." Hidden when the server has everything or is not known yet.
void BucketFeaturesBox::updateNote()
{
    using Feature = JsServerCapabilities::Feature;
    QStringList why;
    if (m_server && m_server->isLevelKnown() && !m_server->supports(Feature::LimitMarkers))
        why.append(tr("Marker TTL needs %1").arg(JsServerCapabilities::requirement(Feature::LimitMarkers)));
    if (m_server && !m_server->supports(Feature::Compression))
        why.append(tr("compression and metadata need %1").arg(JsServerCapabilities::requirement(Feature::Compression)));
    m_note->setVisible(!why.isEmpty());
    if (!why.isEmpty())
        m_note->setText(tr("%1 runs %2: %3.").arg(m_server->serverUrl(), m_server->serverVersion(), why.join(u"; "_s)));
}

void BucketFeaturesBox::setConfig(const KvBucketConfig &config, const QMap<QString, QString> &serverMetadata)
{
    m_allowsKeyTtl = config.allowsKeyTtl();
    m_markerTtl->setText(config.markerTtlMs > 0 ? KvUnits::typedDuration(config.markerTtlMs) : QString());
    m_compressed->setChecked(config.compressed);
    QStringList pairs;
    for (auto it = config.metadata.cbegin(); it != config.metadata.cend(); ++it)
        pairs.append(it.key() + u'=' + it.value());
    m_metadata->setText(pairs.join(u", "_s));
    QStringList server;
    for (auto it = serverMetadata.cbegin(); it != serverMetadata.cend(); ++it)
        server.append(it.key() + u'=' + it.value());
    m_serverMetadata->setText(server.join(u", "_s));
    const bool showServer = !server.isEmpty();
    if (auto *form = qobject_cast<QFormLayout *>(layout()))
        form->setRowVisible(m_serverMetadata, showServer);
}

bool BucketFeaturesBox::apply(KvBucketConfig *config, QString *error) const
{
    // A control the server lacks counts as empty, whatever it holds: nothing is asked of the server that it
    // would refuse or silently drop.
    config->markerTtlMs = 0;
    QString problem;
    const QString markerTtl = m_markerTtl->isEnabled() ? m_markerTtl->text().trimmed() : QString();
    if (!markerTtl.isEmpty() && !KvUnits::parseMilliseconds(markerTtl, &config->markerTtlMs, &problem)) {
        *error = tr("Marker TTL: %1").arg(problem);
        return false;
    }
    config->allowMessageTtl = m_allowsKeyTtl; // once on, the server keeps it on
    config->compressed = m_compressed->isEnabled() && m_compressed->isChecked();
    config->metadata.clear();
    const QString metadata = m_metadata->isEnabled() ? m_metadata->text() : QString();
    for (const QString &pair : metadata.split(u',', Qt::SkipEmptyParts)) {
        const qsizetype equals = pair.indexOf(u'=');
        if (equals <= 0 || pair.left(equals).trimmed().isEmpty()) {
            *error = tr("Metadata: \"%1\" is not KEY=VALUE").arg(pair.trimmed());
            return false;
        }
        config->metadata.insert(pair.left(equals).trimmed(), pair.mid(equals + 1).trimmed());
    }
    return true;
}
