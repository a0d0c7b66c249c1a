#pragma once

#include <QtGui/QColor>
#include <QtWidgets/QFrame>

class QComboBox;
class QLabel;
class QPushButton;

// The strip over the panels: the connection to choose, Connect, the state in words, the read-only badge,
// all tinted with the profile's colour so production is never mistaken for staging.
class ConnectionBar final : public QFrame
{
    Q_OBJECT

public:
    explicit ConnectionBar(QWidget *parent = nullptr);

    QComboBox *profileChoice() const { return m_profileChoice; }
    void setState(const QString &status, bool readOnly, const QColor &color);
    // "Retry now" is shown while a failed connection waits for its next try, or is not tried again.
    void setRetryOffered(bool offered);
    // After the server refused the credentials Retry Now asks for the secret (secretLabel: "Password",
    // "Token"…) instead of sending the refused one again, and says so; empty: it just tries again.
    void setRetryAsksFor(const QString &secretLabel);
    // "Connection Settings…" is shown when the connection failed in a way only new settings can mend.
    void setSettingsOffered(bool offered);

Q_SIGNALS:
    void connectRequested();
    void retryRequested();
    void settingsRequested();

private:
    void applyColor();

    QComboBox *m_profileChoice = nullptr;
    // Elided (whole in its tooltip): a long error ("each of the 4 servers failed: …") asked for its whole
    // width, and the window grew past the screen for it. At its end: cut in the middle, "… not tried again
    // by itself: it would fail the same way" lost its "not" and its reason.
    QLabel *m_status = nullptr;
    QLabel *m_readOnlyBadge = nullptr;
    QPushButton *m_retry = nullptr;
    QPushButton *m_settings = nullptr;
    QColor m_color; // the state's, or none: the palette's own
};
