#include "cliapplication.h"

#include "cliaccountcommand.h"
#include "clibucketcommands.h"
#include "clicommand.h"
#include "cliconnection.h"
#include "clidiffcommand.h"
#include "cliexportcommand.h"
#include "cliimportcommand.h"
#include "clikeycommands.h"
#include "climergecommand.h"
#include "clipermissioncheck.h"
#include "clirestorecommand.h"
#include "cliwatchcommand.h"
#include "kvclient.h"
#include "kvcontext.h"
#include "kvnames.h"
#include "kvuserpermissions.h"
#include "natsconnection.h"
#include "natsreply.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QEventLoop>

#include <algorithm>
#include <array>
#include <utility>

using namespace Qt::StringLiterals;

CliApplication::CliApplication(QObject *parent)
    : QObject(parent)
{
}

CliApplication::~CliApplication() = default;

namespace {

// Every subcommand in help order, with the names it answers to (its Info's name, then its aliases), so
// that a run builds only the command it was given: each command object costs its translations and
// strings, and a one-shot `get` is paid for in tenths of a millisecond.
struct CommandEntry
{
    std::array<QLatin1StringView, 3> names; // unused places stay empty
    CliCommand *(*create)(QObject *parent);
};

template<typename Command, auto... modeArgument>
CliCommand *make(QObject *parent)
{
    return new Command(modeArgument..., parent);
}

const CommandEntry kCommands[] = {
    {{"ls"_L1, "list"_L1}, make<LsCommand>},
    {{"add"_L1, "new"_L1}, make<BucketConfigCommand, BucketConfigCommand::Mode::Add>},
    {{"edit"_L1}, make<BucketConfigCommand, BucketConfigCommand::Mode::Edit>},
    {{"info"_L1, "view"_L1, "status"_L1}, make<InfoCommand>},
    {{"rm"_L1, "del"_L1}, make<DeleteCommand>},
    {{"put"_L1}, make<WriteCommand, WriteCommand::Mode::Put>},
    {{"get"_L1}, make<GetCommand>},
    {{"create"_L1}, make<WriteCommand, WriteCommand::Mode::Create>},
    {{"update"_L1}, make<WriteCommand, WriteCommand::Mode::Update>},
    {{"purge"_L1}, make<PurgeCommand>},
    {{"history"_L1}, make<HistoryCommand>},
    {{"revert"_L1}, make<RevertCommand>},
    {{"compact"_L1}, make<CompactCommand>},
    {{"watch"_L1}, make<WatchCommand>},
    {{"export"_L1}, make<ExportCommand>},
    {{"diff"_L1}, make<DiffCommand>},
    {{"restore"_L1}, make<RestoreCommand>},
    {{"merge"_L1}, make<MergeCommand>},
    {{"import"_L1}, make<ImportCommand>},
    {{"account"_L1}, make<AccountCommand>},
};

// The one error for a client that failed (could not connect, or gave up reconnecting).
QString describeClientFailure(const NatsError &failure, const KvClientOptions &options, KvClient &client)
{
    // The server's words ("refused the credentials") sent a user who gave none looking for a typo.
    if (failure.code() == NatsError::AuthorizationViolation && !CliConnection::givesCredentials(options.connection))
        return QCoreApplication::translate("CliApplication",
                                           "permission denied: %1 requires credentials and none were given (--user "
                                           "with --password-file, --token, --creds, --nkey or a --context)")
            .arg(client.connection()->currentServer().toDisplayString(QUrl::RemoveUserInfo));
    return CliCommand::describe(failure);
}

} // namespace

QList<CliCommand *> CliApplication::commands(QObject *parent)
{
    QList<CliCommand *> all;
    for (const CommandEntry &entry : kCommands)
        all.append(entry.create(parent));
    return all;
}

CliCommand *CliApplication::findCommand(const QString &name)
{
    for (const CommandEntry &entry : kCommands) {
        if (!name.isEmpty() && std::find(entry.names.cbegin(), entry.names.cend(), name) != entry.names.cend())
            return entry.create(this);
    }
    return nullptr;
}

qsizetype CliApplication::commandIndex(const QStringList &arguments)
{
    const QStringList valued = CliConnection::valueOptionNames();
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString &argument = arguments[i];
        if (argument == "--"_L1)
            return -1;
        if (!argument.startsWith(u'-') || argument == "-"_L1)
            return i;
        QString name = argument.mid(argument.startsWith("--"_L1) ? 2 : 1);
        if (!name.contains(u'=') && valued.contains(name))
            ++i; // the option's value
    }
    return -1;
}

// A server lost while a command runs (a watch, a long export) and found again: said on stderr, as natscli
// does, so that a watch does not just fall silent. Reconnects that give up end the command (failed()).
void CliApplication::reportConnectionChanges(NatsConnection *connection, QObject *context)
{
    connect(connection, &NatsConnection::disconnected, context, [this, connection] {
        if (connection->state() != NatsConnection::State::Reconnecting)
            return; // closing: the command's own error says why
        // The reason names the server ("nats://host:4222 closed the connection").
        m_out.note(tr("kvdesk-cli: connection lost: %1; reconnecting").arg(connection->errorString()));
    });
    connect(connection, &NatsConnection::reconnected, context, [this, connection] {
        m_out.note(
            tr("kvdesk-cli: reconnected to %1").arg(connection->currentServer().toDisplayString(QUrl::RemoveUserInfo)));
    });
}

int CliApplication::usageError(const QString &message)
{
    m_out.error(message);
    m_out.note(tr("Run \"kvdesk-cli --help\" or \"kvdesk-cli COMMAND --help\" for usage."));
    return CliCommand::UsageError;
}

QString CliApplication::generalHelp() const
{
    QString text = tr("Usage: kvdesk-cli [global options] COMMAND [options] [arguments]\n\n"
                      "A command line for NATS JetStream Key/Value buckets, mirroring `nats kv`.\n\n"
                      "Commands:\n");
    QObject scratch;
    const QList<CliCommand *> all = commands(&scratch);
    for (const CliCommand *command : all) {
        const QString usage = command->info().name + u' ' + command->info().syntax;
        text += "  "_L1 + usage.leftJustified(44) + u' ' + command->info().summary + u'\n';
    }
    QCommandLineParser parser;
    CliConnection::addOptions(&parser);
    parser.addOption(QCommandLineOption(u"json"_s, tr("Print JSON (NDJSON for streams)")));
    const QString options = parser.helpText();
    text += u'\n' + options.mid(options.indexOf("Options:"_L1));
    text += tr("\nExit status: 0 success, 1 the operation failed, 2 the command line was wrong.\n");
    return text;
}

QString CliApplication::commandHelp(const CliCommand *command, QCommandLineParser &parser) const
{
    const CliCommand::Info &info = command->info();
    QString text = tr("Usage: kvdesk-cli %1 [options] %2\n\n%3\n").arg(info.name, info.syntax, info.summary);
    if (!info.aliases.isEmpty())
        text += tr("Aliases: %1\n").arg(info.aliases.join(", "_L1));
    const QString options = parser.helpText();
    return text + u'\n' + options.mid(options.indexOf("Options:"_L1));
}

int CliApplication::run(const QStringList &arguments, const QList<QByteArray> &given)
{
    const int exitCode = refusedArgumentNotUtf8(given) ? CliCommand::UsageError : runCommand(arguments);
    m_out.flush();
    if (!m_out.stdoutFailed())
        return exitCode;
    // What could not be written is lost to the reader: never a success. A reader that has gone (`| head`)
    // chose to stop reading, so that ends the command quietly, as a pipe's signal would.
    if (!m_out.stdoutReaderLeft())
        m_out.error(m_out.stdoutErrorString());
    return CliCommand::Failure;
}

// Qt reads the command line as UTF-8 and turns the bytes it cannot read into U+FFFD: a value given as
// `$'x\xff'` would be stored as other bytes, a description changed. Refused, naming the argument.
bool CliApplication::refusedArgumentNotUtf8(const QList<QByteArray> &given)
{
    for (qsizetype i = 1; i < given.size(); ++i) {
        if (!QByteArrayView(given.at(i)).isValidUtf8()) {
            // Shown escaped as ls shows such a key: its bytes would garble the terminal.
            usageError(tr("argument %1 (%2) is not UTF-8 text, and would not be taken as it is: bucket names, keys "
                          "and filters are text; a value that is not text goes on stdin (put BUCKET KEY < FILE)")
                           .arg(i)
                           .arg(KvNames::displayKey(KvNames::keyFromSubject(given.at(i)))));
            return true;
        }
    }
    return false;
}

int CliApplication::runCommand(const QStringList &arguments)
{
    QStringList args = arguments.mid(1);
    qsizetype index = commandIndex(args);
    // `kvdesk-cli kv put ...` reads like `nats kv put ...`, global options before `kv` too (`nats -s URL kv`).
    if (index >= 0 && args.at(index) == "kv"_L1) {
        args.removeAt(index);
        index = commandIndex(args);
    }
    if (index < 0) {
        if (args.contains("--version"_L1)) {
            m_out.printLine(u"kvdesk-cli "_s + QStringLiteral(KVDESK_VERSION));
            return CliCommand::Success;
        }
        if (args.contains("--help"_L1) || args.contains("-h"_L1)) {
            m_out.print(generalHelp());
            return CliCommand::Success;
        }
        // "kvdesk-cli -s": the option's value missing, not the command (the help would hide that).
        if (!args.isEmpty() && args.last().startsWith(u'-')
            && CliConnection::valueOptionNames().contains(args.last().mid(args.last().startsWith("--"_L1) ? 2 : 1)))
            return usageError(tr("%1 needs a value, then a command").arg(args.last()));
        m_out.note(generalHelp());
        return usageError(tr("no command given"));
    }
    QString name = args.takeAt(index);
    if (name == "help"_L1) {
        if (index >= args.size()) {
            m_out.print(generalHelp());
            return CliCommand::Success;
        }
        name = args.takeAt(index);
        args.append(u"--help"_s);
    }
    CliCommand *command = findCommand(name);
    if (!command)
        return usageError(tr("unknown command \"%1\"").arg(name));
    command->setOutput(&m_out);

    QCommandLineParser parser;
    parser.addOption(QCommandLineOption({u"h"_s, u"help"_s}, tr("Show this help")));
    command->addOptions(&parser); // its own options first in the help, then the global ones
    if (command->info().asks)
        parser.addOption(QCommandLineOption({u"f"_s, u"force"_s}, tr("Act without confirmation")));
    parser.addOption(QCommandLineOption(u"json"_s, tr("Print JSON (NDJSON for streams)")));
    CliConnection::addOptions(&parser);
    if (!parser.parse(QStringList{u"kvdesk-cli"_s} + args))
        return usageError(parseErrorText(parser, args, command->info().name));
    if (parser.isSet(u"help"_s)) {
        m_out.print(commandHelp(command, parser));
        return CliCommand::Success;
    }
    return execute(command, parser);
}

// Qt names an unknown option by its letters ("-dash": "Unknown options: d, a."): named here as it was
// given, with the command. A value that starts with "-" ("put B k -5") reads as an option: said so, and how
// to give it.
QString CliApplication::parseErrorText(const QCommandLineParser &parser, const QStringList &args,
                                       const QString &command)
{
    const QStringList unknown = parser.unknownOptionNames();
    QString given;
    for (const QString &argument : args) {
        if (argument == "--"_L1)
            break;
        if (!argument.startsWith(u'-') || argument.size() < 2)
            continue;
        const bool negative = argument.at(1).isDigit();
        const bool isUnknown = argument.startsWith("--"_L1)
            ? unknown.contains(argument.mid(2).section(u'=', 0, 0))
            : std::any_of(argument.cbegin() + 1, argument.cend(),
                          [&unknown](QChar letter) { return unknown.contains(QString(letter)); });
        if (negative || isUnknown) {
            given = argument;
            break;
        }
    }
    if (given.isEmpty())
        return parser.errorText();
    const QString hint
        = tr("an argument starting with \"-\" goes after \"--\", as in: kvdesk-cli %1 ... -- %2").arg(command, given);
    if (given.at(1).isDigit())
        return tr("%1 (\"%2\" reads as an option: %3)").arg(parser.errorText(), given, hint);
    // "-x" is an option mistyped; "-dash" more likely a value.
    if (given.startsWith("--"_L1) || given.size() == 2)
        return tr("unknown option \"%1\" for %2").arg(given.section(u'=', 0, 0), command);
    return tr("unknown option \"%1\" for %2 (%3)").arg(given, command, hint);
}

int CliApplication::execute(CliCommand *command, QCommandLineParser &parser)
{
    const CliCommand::Info &info = command->info();
    const QStringList positional = parser.positionalArguments();
    const bool tooFew = positional.size() < info.minArguments;
    const bool tooMany = info.maxArguments >= 0 && positional.size() > info.maxArguments;
    if (tooFew || tooMany)
        return usageError(tr("%1 arguments for %2: expected %3")
                              .arg(tooFew ? tr("missing") : tr("too many"), info.name, info.syntax));
    m_out.setJson(parser.isSet(u"json"_s));
    const QString problem = command->prepare(parser, positional);
    if (!problem.isEmpty() && command->prepareExitCode() != CliCommand::UsageError) {
        m_out.error(problem); // no pointer to --help: the command line was right
        return command->prepareExitCode();
    }
    if (!problem.isEmpty())
        return usageError(problem);

    CliConnection connection;
    QString error;
    bool usage = false;
    if (!connection.configure(parser, &error, &usage))
        return usage ? usageError(error) : (m_out.error(error), int(CliCommand::Failure));
    if (command->streams() && !connection.timeoutGiven())
        connection.setRequestTimeout(std::max(connection.timeoutMs(), int(CliCommand::StreamingTimeoutMs)));
    if (connection.timeoutGiven())
        command->setWriteRetryLimit(connection.timeoutMs());

    const QString question = info.asks && !parser.isSet(u"force"_s) ? command->confirmation() : QString();
    command->setForced(info.asks && parser.isSet(u"force"_s));
    if (!question.isEmpty() && command->asksOnceRead()) {
        if (!CliOutput::stdinIsTerminal()) // refused before connecting, as a question asked now would be
            return usageError(CliCommand::cannotAsk(question));
    } else if (!question.isEmpty()) {
        switch (m_out.confirm(question)) {
        case CliOutput::Answer::NoTerminal:
            return usageError(CliCommand::cannotAsk(question));
        case CliOutput::Answer::No:
            m_out.note(command->declinedMessage());
            return CliCommand::Success;
        case CliOutput::Answer::Yes:
            break;
        }
    }

    return connectAndRun(command, connection.options(), positional);
}

int CliApplication::connectAndRun(CliCommand *command, const KvClientOptions &options, const QStringList &positional)
{
    int exitCode = CliCommand::Failure;
    QEventLoop loop;
    connect(command, &CliCommand::finished, &loop, [&loop, &exitCode](int code) {
        exitCode = code;
        loop.quit();
    });
    KvClient client;
    KvUserPermissions permissions(client.jetStream());
    const auto startChecked = [&] {
        // 2.10+ says what the user may do: what the server would refuse is refused before it is sent, and
        // what the server refuses is not tried where another way is allowed.
        client.kv()->setPermissions(permissions.permissions());
        CliPermissionCheck::check(client.kv(), command->checkedAs(), positional, permissions.permissions(), command,
                                  [&](const QString &refusal) {
                                      if (refusal.isEmpty())
                                          return command->start(client.kv());
                                      m_out.error(
                                          CliCommand::describe(NatsError(NatsError::PermissionsViolation, refusal)));
                                      exitCode = CliCommand::Failure;
                                      loop.quit();
                                  });
    };
    connect(
        &client, &KvClient::ready, command, [&] { permissions.whenSettled(command, startChecked); },
        Qt::SingleShotConnection);
    // With the permissions question (KvUserPermissions asks then too), the bucket's STREAM.INFO goes in
    // the CONNECT's write: a `get` then takes two round trips, not four. It is read-only, so sending it
    // before the check is harmless: a refusal still comes from the check, and the server's own refusal
    // of the STREAM.INFO only fails that request.
    connect(
        client.connection(), &NatsConnection::serverInfoChanged, command,
        [command, &client] { command->bindEarly(client.kv()); }, Qt::SingleShotConnection);
    reportConnectionChanges(client.connection(), command);
    connect(&client, &KvClient::failed, &loop,
            [this, &loop, &exitCode, &client, &options, &command](const NatsError &failure) {
                m_out.error(describeClientFailure(failure, options, client));
                exitCode = CliCommand::Failure;
                loop.quit();
                // This is why the command ends. Still there, it would hear of the closed connection next
                // (a watch's consumer from the same closed() signal) and say a second, misleading error,
                // "not connected: the connection was closed". Deleted here rather than after the loop:
                // nothing of it is on the stack, as closed() comes from the connection's own events.
                delete std::exchange(command, nullptr);
            });
    // A command that streams (ls, watch, export) stops at the first line stdout cannot take.
    m_out.setStdoutFailedHandler([&loop] { loop.quit(); });
    client.open(options);
    if (!m_out.stdoutFailed())
        loop.exec();
    m_out.flush();
    m_out.setStdoutFailedHandler({});
    disconnect(&client, nullptr, &loop, nullptr);
    delete command;
    closeSettled(client);
    return exitCode;
}

// A request still out as the command ends may be what lets it clean up: a consumer whose deliveries came
// before its create reply, as 2.9 sends them now and then, is deleted when that reply names it, and was
// left on the server for its own clean-up seconds later. One round trip (the server answers in order),
// bounded; a command with nothing out (get, put) pays nothing.
void CliApplication::closeSettled(KvClient &client)
{
    NatsConnection *connection = client.connection();
    if (connection && connection->isConnected() && connection->pendingRequests() > 0) {
        constexpr int kSettleMs = 1000;
        QEventLoop settle;
        NatsReply *flushed = connection->flush(kSettleMs);
        connect(flushed, &NatsReply::finished, &settle, &QEventLoop::quit);
        connect(connection, &NatsConnection::closed, &settle, &QEventLoop::quit);
        if (!flushed->isFinished())
            settle.exec();
    }
    client.close();
}
