#pragma once

#include <QtWidgets/QWidget>

class QLabel;

// What the window shows before any connection: the next steps, one click each.
class WelcomePage final : public QWidget
{
    Q_OBJECT

public:
    explicit WelcomePage(QWidget *parent = nullptr);

    // A connection being tried (by its name; empty: none): the page says so, and offers the rest as
    // alternatives while it is tried.
    void setConnecting(const QString &name);
    // The connection to name failed in a way trying again would repeat: not "keeps trying".
    void setStopped(const QString &name);

Q_SIGNALS:
    void localServerRequested();
    void addConnectionRequested();
    void importRequested();

private:
    QLabel *m_text = nullptr;
};
