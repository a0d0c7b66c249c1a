#include "cliexportcommand.h"

#include "clioutput.h"
#include "kvbucket.h"
#include "kvndjson.h"
#include "kvwatcher.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QTimer>

using namespace Qt::StringLiterals;

ExportCommand::ExportCommand(QObject *parent)
    : CliCommand({u"export"_s, {}, tr("Write the bucket's values as NDJSON to FILE or stdout"), u"BUCKET [FILE]"_s, 1, 2}, parent)
{
}

void ExportCommand::addOptions(QCommandLineParser *parser)
{
    parser->addOption(QCommandLineOption(u"include-deletes"_s, tr("Also export keys whose latest entry is a delete or purge marker")));
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
    if (!m_path.isEmpty()) {
        m_file.setFileName(m_path);
        if (!m_file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            fail(tr("cannot write %1: %2").arg(m_path, m_file.errorString()));
            return;
        }
    }
    KvWatchOptions options;
    options.ignoreDeletes = !m_includeDeletes;
    m_watcher = bucket(m_bucket)->watchAll(options);
    connect(m_watcher, &KvWatcher::entryReceived, this, &ExportCommand::write);
    connect(m_watcher, &KvWatcher::initialValuesReceived, this, &ExportCommand::done);
    connect(m_watcher, &KvWatcher::errorOccurred, this, [this] {
        fail(NatsError(m_watcher->error(), m_watcher->errorString()));
    });
    if (CliOutput::stderrIsTerminal()) {
        auto *timer = new QTimer(this);
        connect(timer, &QTimer::timeout, this, &ExportCommand::showProgress);
        timer->start(200);
    }
}

void ExportCommand::write(const KvEntry &entry)
{
    const QByteArray line = KvNdjson::encode(entry) + '\n';
    if (m_file.isOpen())
        m_file.write(line);
    else
        out()->write(line);
    ++m_count;
}

void ExportCommand::showProgress()
{
    out()->progress(tr("exported %1 of %2 entries").arg(m_count).arg(m_count + m_watcher->pendingCount()));
}

void ExportCommand::done()
{
    m_watcher->stop();
    out()->flush();
    if (m_file.isOpen() && (!m_file.flush() || m_file.error() != QFileDevice::NoError)) {
        fail(tr("cannot write %1: %2").arg(m_path, m_file.errorString()));
        return;
    }
    m_file.close();
    showProgress(); // the final count, on a terminal
    if (!m_path.isEmpty() || CliOutput::stderrIsTerminal())
        out()->note(tr("Exported %1 entries of bucket %2%3").arg(m_count).arg(m_bucket, m_path.isEmpty() ? QString() : tr(" to %1").arg(m_path)));
    finish();
}
