#pragma once

#include <QtWidgets/QWidget>

#include <functional>

class QAbstractItemView;
class QAction;
class QLabel;
class QPushButton;

// What an empty list says, over the list itself: why it is empty and a button for the next step (the
// button triggers an action, and is enabled when the action is; without an action, the text alone: what
// the list waits for). Shown while shown() says so; it asks again whenever the view's model changes, or
// when refresh() is called.
class EmptyState final : public QWidget
{
    Q_OBJECT

public:
    EmptyState(QAbstractItemView *view, const QString &text, QAction *action, const QString &buttonText,
               std::function<bool()> shown);

    QPushButton *button() const { return m_button; }
    QLabel *label() const { return m_text; }
    // The text asked for whenever the state shows, for an emptiness with more than one reason.
    void setTextSource(std::function<QString()> text);
    void refresh();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QAbstractItemView *m_view;
    QAction *m_action;
    QLabel *m_text;
    QPushButton *m_button;
    std::function<bool()> m_shown;
    std::function<QString()> m_textSource;
};
