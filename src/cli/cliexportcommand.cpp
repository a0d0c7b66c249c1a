#include "cliexportcommand.h"

#include "cliasof.h"
#include "clidecodedexport.h"
#include "clioutput.h"
#include "clistdoutdevice.h"
#include "kvasofread.h"
#include "kvbucket.h"
#include "kvexportjob.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QFileInfo>
#include <QtCore/QSaveFile>
#include <QtCore/QTemporaryFile>
#include <QtCore/QTimer>

using namespace Qt::StringLiterals;

ExportCommand::ExportCommand(QObject *parent)
    : CliCommand(
        {u"export"_s, {}, tr("Write the bucket's values as NDJSON to FILE or stdout"), u"BUCKET [FILE]"_s, 1, 2},
        parent)
{
}

void ExportCommand::addOptions(QCommandLineParser *parser)
{
    parser->addOption(QCommandLineOption(u"include-deletes"_s,
                                         tr("Also export keys whose latest entry is a delete or purge marker")));
    parser->addOption(QCommandLineOption(u"as-of"_s,
                                         tr("Export the values as they were right after a revision, or at a time "
                                            "(RFC 3339, or a duration ago: 1h)"),
                                         u"REVISION|TIME"_s));
    CliDecode::addOptions(parser);
}

QString ExportCommand::prepare(const QCommandLineParser &parser, const QStringList &arguments)
{
    m_bucket = arguments[0];
    m_path = arguments.value(1);
    if (m_path == "-"_L1)
        m_path.clear();
    m_includeDeletes = parser.isSet(u"include-deletes"_s);
    m_asOfSet = parser.isSet(u"as-of"_s);
    if (m_asOfSet && m_includeDeletes)
        return tr("--as-of exports values only: it cannot be combined with --include-deletes");
    if (m_asOfSet)
        if (const QString problem = CliAsOf::parse(u"as-of"_s, parser.value(u"as-of"_s), &m_asOf); !problem.isEmpty())
            return problem;
    if (const QString problem = m_decode.prepare(parser); !problem.isEmpty()) {
        if (m_decode.moduleFailed())
            setPrepareExitCode(Failure);
        return problem;
    }
    if (const QString problem = checkBucket(m_bucket); !problem.isEmpty())
        return problem;
    // A FILE that cannot be written is a wrong command line, as an unreadable FILE of import or merge is:
    // said before connecting, with the pointer to --help. What a failure after this leaves is closeFile()'s.
    return m_path.isEmpty() ? QString() : openFile();
}

void ExportCommand::run()
{
    // stdout through the command line's own output, which knows when a write failed (a full disk, a
    // reader gone); a FILE through a file of its own.
    QIODevice *output = nullptr;
    if (m_path.isEmpty()) {
        output = new CliStdoutDevice(out(), this);
        output->open(QIODevice::WriteOnly | QIODevice::Unbuffered);
    } else {
        output = m_file.get(); // opened by prepare()
    }
    if (m_decode.isEnabled())
        output = m_decoded = new CliDecodedExport(output, &m_decode, this);
    m_job = new KvExportJob(bucket(m_bucket), output, this);
    connect(m_job, &KvExportJob::finished, this, &ExportCommand::done);
    connect(m_job, &KvExportJob::progress, this, &ExportCommand::moved);
    failWhenStalled(tr("exporting bucket %1").arg(m_bucket));
    if (m_asOfSet)
        exportAsOf();
    else
        m_job->exportBucket(m_includeDeletes);
    if (CliOutput::stderrIsTerminal()) {
        auto *timer = new QTimer(this);
        connect(timer, &QTimer::timeout, this, &ExportCommand::showProgress);
        timer->start(200);
    }
}

// The values then are read first (they are few beside the history replayed for them), then written in key order.
void ExportCommand::exportAsOf()
{
    m_read = new KvAsOfRead(bucket(m_bucket), m_asOf, {}, KvAsOfRead::Path::Auto, this);
    connect(m_read, &KvAsOfRead::progress, this, &ExportCommand::moved);
    connect(m_read, &KvAsOfRead::finished, this, [this] {
        if (m_read->error() != NatsError::NoError) {
            fail(m_read->errorInfo());
            return;
        }
        m_job->exportEntries(m_read->takeEntries());
    });
}

void ExportCommand::showProgress()
{
    out()->progress(tr("exported %1 of %2 entries").arg(m_job->writtenCount()).arg(m_job->totalCount()));
}

QString ExportCommand::openFile()
{
    const QFileInfo info(m_path);
    if (info.exists() && !info.isFile()) {
        m_file = std::make_unique<QFile>(m_path);
        if (!m_file->open(QIODevice::WriteOnly | QIODevice::Truncate))
            return tr("cannot write %1: %2").arg(m_path, m_file->errorString());
        return {};
    }
    auto save = std::make_unique<QSaveFile>(m_path); // written beside it, renamed over it when whole
    if (save->open(QIODevice::WriteOnly)) {
        m_file = std::move(save);
        return {};
    }
    // Nothing can be written beside FILE. Writing FILE itself emptied it at once, and an export that then
    // failed left an empty backup: it is written elsewhere first, if FILE can be written at all.
    return info.exists() ? openSpool(save->errorString()) : tr("cannot write %1: %2").arg(m_path, save->errorString());
}

QString ExportCommand::openSpool(const QString &whyNotBeside)
{
    QFile target(m_path);
    if (!target.open(QIODevice::WriteOnly | QIODevice::Append)) // opened as it is: nothing changes
        return tr("cannot write %1: %2").arg(m_path, target.errorString());
    auto spool = std::make_unique<QTemporaryFile>();
    if (!spool->open())
        return tr("cannot write %1: %2, nor a temporary file (%3)").arg(m_path, whyNotBeside, spool->errorString());
    m_file = std::move(spool);
    m_spooled = true;
    return {};
}

bool ExportCommand::replacesWhenWhole() const
{
    return m_spooled || qobject_cast<QSaveFile *>(m_file.get());
}

// The export is whole: FILE takes its place (an uncommitted QSaveFile is dropped with this command).
bool ExportCommand::closeFile()
{
    if (!m_file)
        return true;
    if (m_spooled)
        return copySpool();
    auto *save = qobject_cast<QSaveFile *>(m_file.get());
    if (save ? save->commit() : (m_file->close(), m_file->error() == QFileDevice::NoError))
        return true;
    fail(tr("cannot write %1: %2").arg(m_path, m_file->errorString()));
    return false;
}

bool ExportCommand::copySpool()
{
    QFile target(m_path);
    bool ok = m_file->seek(0) && target.open(QIODevice::WriteOnly | QIODevice::Truncate);
    QByteArray chunk;
    while (ok && !m_file->atEnd()) {
        chunk = m_file->read(1 << 20);
        ok = !chunk.isEmpty() && target.write(chunk) == chunk.size();
    }
    ok = ok && target.flush();
    target.close();
    if (ok && target.error() == QFileDevice::NoError)
        return true;
    fail(tr("cannot write %1: %2").arg(m_path, target.errorString()));
    return false;
}

void ExportCommand::done()
{
    if (m_path.isEmpty() && out()->stdoutFailed()) {
        finish(Failure); // kvdesk-cli says why, once (or nothing, when the reader of a pipe has gone)
        return;
    }
    const bool writeFailed = m_file && (!m_file->flush() || m_file->error() != QFileDevice::NoError);
    if (writeFailed) {
        fail(tr("cannot write %1: %2").arg(m_path, m_file->errorString()));
        return;
    }
    if (m_job->state() != KvExportJob::State::Finished) {
        fail(m_job->errorInfo());
        return;
    }
    // What was answered is written; the rest is named, never guessed, and the exit status says so. An
    // incomplete read may lack keys the bucket no longer names at all: said too, never silently.
    QStringList problems;
    if (m_read && !m_read->unanswerableKeys().isEmpty())
        problems.append(CliAsOf::unanswerable(m_bucket, m_asOf, m_read->unanswerableKeys()));
    if (m_read && !m_read->isComplete())
        problems.append(m_read->incompleteReason());
    // Not whole, the export replaces no FILE: a backup there would give way to part of the bucket.
    if (!problems.isEmpty() && replacesWhenWhole()) {
        m_file.reset(); // uncommitted: what was written beside FILE is dropped
        problems.last() += tr("; %1 is left as it was (without FILE, the values that could be answered go to "
                              "stdout)")
                               .arg(m_path);
    } else if (!closeFile()) {
        return;
    }
    showProgress(); // the final count, on a terminal
    if (const QString last = CliAsOf::allButLast(out(), problems); !last.isEmpty()) {
        fail(last);
        return;
    }
    if (m_decoded && !m_decoded->undecodedKeys().isEmpty()) {
        // Every line is written, with its value as stored; the exit status says some are not decoded.
        const QStringList keys = m_decoded->undecodedKeys();
        const QString count = keys.size() == 1 ? tr("1 value") : tr("%1 values").arg(keys.size());
        fail(tr("no decoder fits %1 of bucket %2 (first: key \"%3\": %4); their lines carry decode_error")
                 .arg(count, m_bucket, keys.first(), m_decoded->firstReason()));
        return;
    }
    if (!m_path.isEmpty() || CliOutput::stderrIsTerminal())
        out()->note(tr("Exported %1 entries of bucket %2%3")
                        .arg(m_job->writtenCount())
                        .arg(m_bucket, m_path.isEmpty() ? QString() : tr(" to %1").arg(m_path)));
    finish();
}
