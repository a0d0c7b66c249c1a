#include "cliexportcommand.h"

#include "clioutput.h"
#include "kvbucket.h"
#include "kvexportjob.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QTimer>

#include <unistd.h>

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
}

QString ExportCommand::prepare(const QCommandLineParser &parser, const QStringList &arguments)
{
    m_bucket = arguments[0];
    m_path = arguments.value(1);
    if (m_path == "-"_L1)
        m_path.clear();
    m_includeDeletes = parser.isSet(u"include-deletes"_s);
    return checkBucket(m_bucket);
}

void ExportCommand::run()
{
    // stdout through a file of its own: nothing else is printed there while the export runs.
    const bool opened = m_path.isEmpty()
        ? m_file.open(STDOUT_FILENO, QIODevice::WriteOnly)
        : (m_file.setFileName(m_path), m_file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    if (!opened) {
        fail(tr("cannot write %1: %2").arg(m_path, m_file.errorString()));
        return;
    }
    m_job = new KvExportJob(bucket(m_bucket), &m_file, this);
    connect(m_job, &KvExportJob::finished, this, &ExportCommand::done);
    m_job->exportBucket(m_includeDeletes);
    if (CliOutput::stderrIsTerminal()) {
        auto *timer = new QTimer(this);
        connect(timer, &QTimer::timeout, this, &ExportCommand::showProgress);
        timer->start(200);
    }
}

void ExportCommand::showProgress()
{
    out()->progress(tr("exported %1 of %2 entries").arg(m_job->writtenCount()).arg(m_job->totalCount()));
}

void ExportCommand::done()
{
    const bool writeFailed = !m_file.flush() || m_file.error() != QFileDevice::NoError;
    if (writeFailed && !m_path.isEmpty()) {
        fail(tr("cannot write %1: %2").arg(m_path, m_file.errorString()));
        return;
    }
    if (m_job->state() != KvExportJob::State::Finished) {
        fail(m_job->errorInfo());
        return;
    }
    m_file.close();
    showProgress(); // the final count, on a terminal
    if (!m_path.isEmpty() || CliOutput::stderrIsTerminal())
        out()->note(tr("Exported %1 entries of bucket %2%3")
                        .arg(m_job->writtenCount())
                        .arg(m_bucket, m_path.isEmpty() ? QString() : tr(" to %1").arg(m_path)));
    finish();
}
