#pragma once

#include "clicommand.h"

struct JsAccountInfo;
class NatsConnection;

// account info: natscli's `nats account info` page for the connection and its JetStream account:
// server, version and JetStream API level, domain, usage and limits (or --json).
class AccountCommand final : public CliCommand
{
    Q_OBJECT

public:
    explicit AccountCommand(QObject *parent = nullptr);
    QString prepare(const QCommandLineParser &parser, const QStringList &arguments) override;

protected:
    void run() override;

private:
    void print(const NatsConnection *connection, const JsAccountInfo &info);
};
