#include "valuesearch.h"

#include "codecchain.h"
#include "kvbucket.h"
#include "kvbulkread.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QTimer>

using namespace Qt::StringLiterals;

namespace {

// The text around [at, at + length), on one line.
QString snippetOf(const QString &text, qsizetype at, qsizetype length)
{
    constexpr qsizetype around = 40;
    const qsizetype from = std::max<qsizetype>(0, at - around);
    QString snippet = text.mid(from, length + 2 * around).simplified();
    if (from > 0)
        snippet.prepend(u'…');
    if (at + length + around < text.size())
        snippet.append(u'…');
    return snippet;
}

} // namespace

QStringList ValueSearch::keysIn(const QStringList &keys, const QString &folder)
{
    if (folder.isEmpty())
        return keys;
    QStringList inside;
    const QString prefix = folder + u'.';
    for (const QString &key : keys) {
        if (key.startsWith(prefix))
            inside.append(key);
    }
    return inside;
}

ValueSearch::ValueSearch(KvBucket *bucket, const QStringList &keys, const Options &options, QObject *parent)
    : QObject(parent)
    , m_bucket(bucket)
    , m_keys(keys)
    , m_options(options)
{
    if (m_keys.size() > m_options.maxKeys) {
        m_keys = m_keys.mid(0, m_options.maxKeys);
        m_capped = true;
    }
}

ValueSearch::~ValueSearch()
{
    delete m_read;
}

void ValueSearch::start()
{
    QTimer::singleShot(0, this, [this] {
        if (m_finished)
            return;
        if (!m_bucket) {
            fail(NatsError(NatsError::InvalidArgument, tr("no bucket to search")));
            return;
        }
        if (m_options.text.isEmpty()) {
            fail(NatsError(NatsError::InvalidArgument, tr("nothing to search for")));
            return;
        }
        if (m_options.mode == Mode::JsonPath) {
            m_query = ValuePathQuery::parse(m_options.text);
            if (!m_query.isValid()) {
                fail(NatsError(NatsError::InvalidArgument,
                               tr("the JSON path \"%1\" is not valid: %2").arg(m_options.text, m_query.errorString())));
                return;
            }
        }
        nextBatch();
    });
}

void ValueSearch::cancel()
{
    if (m_finished)
        return;
    m_cancelled = true;
    if (KvBulkRead *read = m_read) {
        // Its end (Cancelled) is not the search's: the user stopped it.
        m_read = nullptr;
        disconnect(read, nullptr, this, nullptr);
        read->cancel();
        read->deleteLater();
    }
    finish();
}

void ValueSearch::nextBatch()
{
    if (m_searched >= m_keys.size()) {
        finish();
        return;
    }
    QList<KvBulkRead::Want> wants;
    const qsizetype end = std::min(m_keys.size(), m_searched + std::max<qsizetype>(1, m_options.batchSize));
    for (qsizetype i = m_searched; i < end; ++i)
        wants.append({m_keys[i], 0});
    m_read = new KvBulkRead(m_bucket, wants, KvBulkRead::Mode::Auto, this);
    connect(m_read, &KvBulkRead::finished, this, &ValueSearch::onBatch);
}

void ValueSearch::onBatch()
{
    KvBulkRead *read = m_read;
    m_read = nullptr;
    read->deleteLater();
    if (m_finished)
        return;
    if (read->error() != NatsError::NoError) {
        fail(read->errorInfo());
        return;
    }
    const QList<std::optional<KvEntry>> results = read->results();
    for (qsizetype i = 0; i < results.size(); ++i) {
        ++m_searched;
        const std::optional<KvEntry> &entry = results[i];
        // Markers hold no value to search; a key gone meanwhile is no match either.
        if (!entry || entry->operation != KvEntry::Operation::Put)
            continue;
        ++m_values;
        if (search(entry->key, entry->revision, entry->value) && m_matches.size() >= m_options.maxMatches) {
            m_capped = m_searched < m_keys.size();
            Q_EMIT progress(m_searched, m_keys.size());
            finish();
            return;
        }
    }
    Q_EMIT progress(m_searched, m_keys.size());
    nextBatch();
}

bool ValueSearch::search(const QString &key, quint64 revision, const QByteArray &value)
{
    // As the value panel shows it: decoded where a decoder fits, else as text; bytes nothing fits are skipped.
    const CodecChain chain = CodecChain::identify(value, m_options.codec);
    if (!chain.isValid() || chain.steps().last() == CodecChain::Step::Bytes)
        return false;
    if (m_options.mode == Mode::JsonPath && !chain.isJson())
        return false;
    const QString snippet = m_options.mode == Mode::JsonPath ? pathSnippet(chain.text()) : textSnippet(chain.text());
    if (snippet.isEmpty())
        return false;
    const Match match{key, revision, chain.isTransformed() ? chain.description() : QString(), snippet};
    m_matches.append(match);
    Q_EMIT matchFound(match);
    return true;
}

QString ValueSearch::textSnippet(const QString &text) const
{
    const qsizetype at = text.indexOf(m_options.text, 0, m_options.caseSensitivity);
    return at < 0 ? QString() : snippetOf(text, at, m_options.text.size());
}

QString ValueSearch::pathSnippet(const QString &json) const
{
    const QList<ValuePathQuery::Hit> hits = m_query.hits(json);
    if (hits.isEmpty())
        return {};
    // The first place, and its value as compact JSON (cut short: an object can be large).
    const QByteArray value = QJsonDocument(QJsonArray{hits.first().value}).toJson(QJsonDocument::Compact);
    QString shown = QString::fromUtf8(value.mid(1, value.size() - 2));
    constexpr qsizetype longest = 120;
    if (shown.size() > longest)
        shown = shown.left(longest) + u'…';
    return hits.first().path + u" = "_s + shown;
}

void ValueSearch::fail(const NatsError &error)
{
    if (m_finished)
        return;
    m_error = error;
    finish();
}

// Once; after errorOccurred() when it failed. cancel() is no failure: the user asked for it.
void ValueSearch::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    if (m_error.isError()) {
        const QPointer<ValueSearch> guard(this); // a slot may delete the search: no finished() then
        Q_EMIT errorOccurred(m_error.code());
        if (!guard)
            return;
    }
    Q_EMIT finished();
}
