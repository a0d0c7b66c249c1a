#pragma once

#include <QtWidgets/QWidget>

class QLabel;
class QPlainTextEdit;
class QStackedWidget;
class QToolButton;

// Two texts compared line by line, side by side (scrolling together) or unified, with removed lines
// marked on the left and added lines on the right. JSON values should be passed pretty-printed, so key
// order and spacing do not drown the real change.
class DiffView final : public QWidget
{
    Q_OBJECT

public:
    explicit DiffView(QWidget *parent = nullptr);

    void setTexts(const QString &leftTitle, const QString &left, const QString &rightTitle, const QString &right);
    // Nothing compared: no titles, texts or summary (two empty texts say "No differences").
    void clear();
    void setUnified(bool unified);
    bool isUnified() const;
    int changeCount() const { return m_changes; }
    QString unifiedText() const;

protected:
    // The marked lines take the new palette's colours (View → Theme).
    void changeEvent(QEvent *event) override;

private:
    void markChanges();

    QLabel *m_leftTitle = nullptr;
    QLabel *m_rightTitle = nullptr;
    QLabel *m_summary = nullptr;
    QPlainTextEdit *m_left = nullptr;
    QPlainTextEdit *m_right = nullptr;
    QPlainTextEdit *m_unified = nullptr;
    QStackedWidget *m_stack = nullptr;
    QToolButton *m_unifiedButton = nullptr;
    int m_changes = 0;
    // The rows marked, by side: kept to mark them again in a new palette's colours.
    QList<int> m_removedRows;
    QList<int> m_addedRows;
    QList<int> m_unifiedRemoved;
    QList<int> m_unifiedAdded;
};
