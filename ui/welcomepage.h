#pragma once

#include <QtWidgets/QWidget>

// What the window shows before any connection: the next steps, one click each.
class WelcomePage final : public QWidget
{
    Q_OBJECT

public:
    explicit WelcomePage(QWidget *parent = nullptr);

Q_SIGNALS:
    void localServerRequested();
    void addConnectionRequested();
    void importRequested();
};
