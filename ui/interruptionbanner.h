#pragma once

#include <QtWidgets/QFrame>

class QLabel;

// A band over a panel's data while the connection is down: what happened (the session's words, e.g.
// "Connection interrupted — reconnecting…") and what it means for this panel. Hidden while there is
// nothing to say; its colours follow a light or dark palette.
class InterruptionBanner final : public QFrame
{
    Q_OBJECT

public:
    explicit InterruptionBanner(QWidget *parent = nullptr);

    // An empty reason hides the banner.
    void setReason(const QString &reason, const QString &meaning);
    QString reason() const { return m_reason; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyColors();

    QLabel *m_text = nullptr;
    QString m_reason;
    bool m_applyingColors = false;
};
