#include "cliimportcommand.h"

#include "clioutput.h"
#include "clipipereader.h"
#include "kvbucket.h"
#include "kvcontext.h"
#include "kvttl.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QTimer>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

// After this many failure lines, only the summary counts the rest.
constexpr quint64 kMaxReported = 20;

} // namespace

ImportCommand::ImportCommand(QObject *parent)
    : CliCommand({u"import"_s,
                  {},
                  tr("Write NDJSON entries (as made by export) from FILE or stdin into the bucket"),
                  u"BUCKET [FILE]"_s,
                  1,
                  2},
                 parent)
{
}

void ImportCommand::addOptions(QCommandLineParser *parser)
{
    parser->addOption(QCommandLineOption(
        u"mode"_s,
        tr("put (overwrite; PURGE lines then wipe those keys' history), create (existing keys fail) or "
           "skip-existing (default put)"),
        u"MODE"_s));
}

QString ImportCommand::prepare(const QCommandLineParser &parser, const QStringList &arguments)
{
    m_bucket = arguments[0];
    m_path = arguments.value(1);
    if (m_path == "-"_L1)
        m_path.clear();
    const QString mode = parser.value(u"mode"_s);
    if (mode.isEmpty() || mode == "put"_L1)
        m_existing = KvImportJob::ExistingKeys::Overwrite;
    else if (mode == "create"_L1)
        m_existing = KvImportJob::ExistingKeys::Fail;
    else if (mode == "skip-existing"_L1)
        m_existing = KvImportJob::ExistingKeys::Skip;
    else
        return tr("--mode must be put, create or skip-existing, not \"%1\"").arg(mode);
    if (const QString problem = checkBucket(m_bucket); !problem.isEmpty())
        return problem;
    // A FILE that cannot be read is a wrong command line, as for merge, export and --proto: said before
    // connecting, with the pointer to --help.
    m_file.setFileName(m_path);
    if (!m_path.isEmpty() && !m_file.open(QIODevice::ReadOnly))
        return tr("cannot read %1: %2").arg(m_path, m_file.errorString());
    return {};
}

void ImportCommand::run()
{
    if (m_path.isEmpty() && !m_file.open(STDIN_FILENO, QIODevice::ReadOnly)) {
        fail(tr("cannot read stdin: %1").arg(m_file.errorString()));
        return;
    }
    QIODevice *input = &m_file;
    if (CliPipeReader::isStream(m_file.handle())) {
        m_pipe = new CliPipeReader(m_file.handle(), this);
        if (!m_pipe->open(QIODevice::ReadOnly)) {
            fail(tr("cannot read %1: %2").arg(m_path.isEmpty() ? tr("stdin") : m_path, m_pipe->errorString()));
            return;
        }
        input = m_pipe;
    }
    m_job = new KvImportJob(bucket(m_bucket), input, this);
    m_job->setWindow(kWindow);
    connect(m_job, &KvImportJob::lineFailed, this, &ImportCommand::report);
    connect(m_job, &KvImportJob::finished, this, &ImportCommand::summarize);
    connect(m_job, &KvImportJob::ttlRaised, this, [this](qint64 line, qint64 askedNs, qint64 keptNs) {
        if (m_raisedTtls++ == 0 || line < m_firstRaisedLine) {
            m_firstRaisedLine = line;
            m_firstAskedNs = askedNs;
        }
        m_keptNs = keptNs;
    });
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
        if (status->error() != NatsError::NoError && status->error() != NatsError::BucketNotFound) {
            fail(status->errorInfo());
            return;
        }
        if (status->error() == NatsError::BucketNotFound) {
            // Made by the job once the whole input is checked against it: a bad file leaves no bucket.
            KvBucketConfig config;
            config.bucket = m_bucket;
            m_job->setCreateConfig(config);
            m_toCreate = true;
            connect(m_job, &KvImportJob::bucketCreated, this, [this] {
                m_created = true;
                out()->note(tr("Created bucket %1 with default settings").arg(m_bucket));
            });
        }
        m_job->start(m_existing);
    });
}

// Whether the import ended before its first write: the check refused lines, or the bucket to write into
// was not created (KvImportJob writes nothing before either).
bool ImportCommand::nothingSent() const
{
    return m_job->refusedCount() > 0 || (m_toCreate && !m_created);
}

void ImportCommand::showProgress()
{
    if (m_job->isChecking()) {
        out()->progress(
            tr("checked %1 lines (nothing is written before the whole input is checked)").arg(m_job->lineCount()));
        return;
    }
    if (m_job->isFinished() && nothingSent()) {
        out()->progress(
            tr("checked %1 lines, %2 refused: nothing written").arg(m_job->lineCount()).arg(m_job->refusedCount()));
        return;
    }
    out()->progress(tr("imported %1 lines: %2 written, %3 skipped, %4 failed")
                        .arg(m_job->lineCount())
                        .arg(m_job->writtenCount())
                        .arg(m_job->skippedCount())
                        .arg(m_job->failedCount()));
}

void ImportCommand::report(qint64 line, const NatsError &error)
{
    if (++m_reported <= kMaxReported)
        out()->error(tr("line %1: %2").arg(line).arg(describe(error)));
    else if (m_reported == kMaxReported + 1)
        out()->error(tr("more failures follow; only the summary counts them"));
}

// As `create --ttl` says it: the keys live longer than the file said.
void ImportCommand::noteRaisedTtls()
{
    if (m_raisedTtls == 0)
        return;
    const QString lines = m_raisedTtls == 1 ? tr("1 line") : tr("%1 lines").arg(m_raisedTtls);
    out()->note(tr("kvdesk-cli: %1 with a TTL below the bucket's marker TTL expire after %2 (line %3: %4): in a "
                   "bucket keeping history, nats-server keeps a key at least as long as its marker TTL")
                    .arg(lines, QString::fromLatin1(KvTtl::toHeader(m_keptNs)))
                    .arg(m_firstRaisedLine)
                    .arg(QString::fromLatin1(KvTtl::toHeader(m_firstAskedNs))));
}

void ImportCommand::summarize()
{
    if (m_progressTimer) {
        m_progressTimer->stop();
        showProgress(); // the final count
    }
    const qint64 lines = m_job->lineCount();
    const qint64 written = m_job->writtenCount();
    const qint64 skipped = m_job->skippedCount();
    const qint64 failed = m_job->failedCount() - m_job->refusedCount();
    if (m_job->error() != NatsError::NoError)
        out()->error(m_job->errorString()); // why it ended before the end of the input
    noteRaisedTtls();
    if (out()->json()) {
        out()->printJson({{u"bucket"_s, m_bucket},
                          {u"lines"_s, lines},
                          {u"refused"_s, m_job->refusedCount()},
                          {u"written"_s, written},
                          {u"skipped"_s, skipped},
                          {u"failed"_s, failed},
                          {u"bucket_created"_s, m_created}});
    } else if (nothingSent()) {
        // Not "Imported into bucket B: 0 written, 0 skipped, 1 failed" of a bucket that may not be there
        // and lines never sent.
        printNothingImported(lines);
    } else {
        out()->printLine(tr("Imported into bucket %1: %2 written, %3 skipped, %4 failed")
                             .arg(m_bucket)
                             .arg(written)
                             .arg(skipped)
                             .arg(failed));
    }
    finish(failed > 0 || m_job->refusedCount() > 0 || m_job->error() != NatsError::NoError ? Failure : Success);
}

void ImportCommand::printNothingImported(qint64 lines)
{
    const QString input = m_path.isEmpty() ? tr("stdin") : m_path;
    const QString why = lines == 1
        ? tr("the check refused the one line of %1").arg(input)
        : tr("the check refused %1 of the %2 lines of %3").arg(m_job->refusedCount()).arg(lines).arg(input);
    if (!m_toCreate)
        out()->printLine(tr("Nothing imported into bucket %1: %2, so nothing was written").arg(m_bucket, why));
    else if (m_job->refusedCount() > 0)
        out()->printLine(
            tr("Nothing imported: %1, so nothing was written and bucket %2 was not created").arg(why, m_bucket));
    else // the bucket could not be made, or was made meanwhile with other settings: the error above says so
        out()->printLine(tr("Nothing imported into bucket %1: nothing was written").arg(m_bucket));
}
