#pragma once

#include <QtWidgets/QDialog>

class LocalServer;

// The app-owned nats-server's log and store folder (Connection > Local Server Log).
class LocalServerLogDialog final : public QDialog
{
    Q_OBJECT

public:
    explicit LocalServerLogDialog(const LocalServer *server, QWidget *parent = nullptr);
};
