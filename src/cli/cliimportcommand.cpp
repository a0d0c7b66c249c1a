#include "cliimportcommand.h"

#include "clioutput.h"
#include "kvbucket.h"
#include "kvcontext.h"
#include "kvndjson.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QTimer>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

// After this many failure lines, only the summary counts the rest.
constexpr quint64 kMaxReported = 20;

} // namespace

ImportCommand::ImportCommand(QObject *parent)
    : CliCommand({u"import"_s, {}, tr("Write NDJSON entries (as made by export) from FILE or stdin into the bucket"), u"BUCKET [FILE]"_s, 1, 2}, parent)
{
}

void ImportCommand::addOptions(QCommandLineParser *parser)
{
    parser->addOption(QCommandLineOption(u"mode"_s, tr("put (overwrite), create (existing keys fail) or skip-existing (default put)"), u"MODE"_s));
}

QString ImportCommand::prepare(const QCommandLineParser &parser, const QStringList &arguments)
{
    m_bucket = arguments[0];
    m_path = arguments.value(1);
    if (m_path == "-"_L1)
        m_path.clear();
    const QString mode = parser.value(u"mode"_s);
    if (mode.isEmpty() || mode == "put"_L1)
        m_mode = Mode::Put;
    else if (mode == "create"_L1)
        m_mode = Mode::Create;
    else if (mode == "skip-existing"_L1)
        m_mode = Mode::SkipExisting;
    else
        return tr("--mode must be put, create or skip-existing, not \"%1\"").arg(mode);
    return checkBucket(m_bucket);
}

void ImportCommand::run()
{
    const bool opened = m_path.isEmpty() ? m_input.open(STDIN_FILENO, QIODevice::ReadOnly)
                                         : (m_input.setFileName(m_path), m_input.open(QIODevice::ReadOnly));
    if (!opened) {
        fail(tr("cannot read %1: %2").arg(m_path.isEmpty() ? tr("stdin") : m_path, m_input.errorString()));
        return;
    }
    if (CliOutput::stderrIsTerminal()) {
        m_progressTimer = new QTimer(this);
        connect(m_progressTimer, &QTimer::timeout, this, &ImportCommand::showProgress);
        m_progressTimer->start(200);
    }
    ensureBucket();
}

void ImportCommand::ensureBucket()
{
    KvReply *status = kv()->bucketStatus(m_bucket);
    connect(status, &NatsReply::finished, this, [this, status] {
        status->deleteLater();
        if (status->error() == NatsError::NoError) {
            pump();
            return;
        }
        if (status->error() != NatsError::BucketNotFound) {
            fail(status->errorInfo());
            return;
        }
        KvBucketConfig config;
        config.bucket = m_bucket;
        whenDone(kv()->createBucket(config), [this](KvReply *) {
            out()->note(tr("Created bucket %1 with default settings").arg(m_bucket));
            pump();
        });
    });
}

void ImportCommand::pump()
{
    if (m_pumping)
        return; // a reply that finished synchronously inside submit(): the loop below continues
    m_pumping = true;
    while (m_inFlight < kWindow && !m_atEnd) {
        if (m_input.atEnd() && !m_input.isSequential()) {
            m_atEnd = true;
            break;
        }
        const QByteArray line = m_input.readLine();
        if (line.isEmpty()) { // end of input: a blank line still holds its "\n"
            m_atEnd = true;
            break;
        }
        ++m_line;
        if (line.trimmed().isEmpty())
            continue;
        KvEntry entry;
        QString problem;
        if (!KvNdjson::decode(line, &entry, &problem)) {
            ++m_failed;
            report(tr("line %1: %2").arg(m_line).arg(problem));
            continue;
        }
        submit(entry);
    }
    m_pumping = false;
    if (m_atEnd && m_inFlight == 0)
        summarize();
}

void ImportCommand::submit(const KvEntry &entry)
{
    KvBucket *target = bucket(m_bucket);
    KvReply *reply = nullptr;
    if (entry.isDeleted()) {
        if (m_mode != Mode::Put) {
            ++m_skipped; // markers only make sense when replaying over what is there
            return;
        }
        reply = entry.operation == KvEntry::Operation::Purge ? target->purge(entry.key) : target->remove(entry.key);
    } else {
        reply = m_mode == Mode::Put ? target->put(entry.key, entry.value) : target->create(entry.key, entry.value);
    }
    ++m_inFlight;
    const quint64 line = m_line;
    connect(reply, &NatsReply::finished, this, [this, reply, line] {
        reply->deleteLater();
        --m_inFlight;
        if (reply->error() == NatsError::NoError)
            ++m_written;
        else if (reply->error() == NatsError::KeyExists && m_mode == Mode::SkipExisting)
            ++m_skipped;
        else {
            ++m_failed;
            report(tr("line %1: %2").arg(line).arg(describe(reply->errorInfo())));
        }
        pump();
    });
}

void ImportCommand::showProgress()
{
    out()->progress(tr("imported %1 lines: %2 written, %3 skipped, %4 failed").arg(m_line).arg(m_written).arg(m_skipped).arg(m_failed));
}

void ImportCommand::report(const QString &problem)
{
    if (++m_reported <= kMaxReported)
        out()->error(problem);
    else if (m_reported == kMaxReported + 1)
        out()->error(tr("more failures follow; only the summary counts them"));
}

void ImportCommand::summarize()
{
    if (m_progressTimer) {
        m_progressTimer->stop();
        showProgress(); // the final count
    }
    if (out()->json()) {
        out()->printJson({{u"bucket"_s, m_bucket}, {u"lines"_s, qint64(m_line)}, {u"written"_s, qint64(m_written)},
                          {u"skipped"_s, qint64(m_skipped)}, {u"failed"_s, qint64(m_failed)}});
    } else {
        out()->printLine(tr("Imported into bucket %1: %2 written, %3 skipped, %4 failed")
                        .arg(m_bucket).arg(m_written).arg(m_skipped).arg(m_failed));
    }
    finish(m_failed > 0 ? Failure : Success);
}
