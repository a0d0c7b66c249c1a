#include "localserverlogdialog.h"

#include "localserver.h"

#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QVBoxLayout>

LocalServerLogDialog::LocalServerLogDialog(const LocalServer *server, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Local nats-server Log"));
    auto *text = new QPlainTextEdit(this);
    text->setReadOnly(true);
    text->setAccessibleName(tr("Log"));
    text->setAccessibleDescription(tr("What the local nats-server printed, oldest line first"));
    text->setPlainText(server->isRunning() || !server->log().isEmpty()
                           ? server->log()
                           : tr("The local server has not run yet. Its log will be in %1.").arg(server->logFile()));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Store: %1").arg(server->storeDir()), this));
    layout->addWidget(text);
    layout->addWidget(buttons);
    resize(800, 500);
}
