#pragma once

#include <QtWidgets/QLabel>

// One line of plain text that asks for no more width than an ellipsis: given less than its text needs, it
// draws the text elided ("…value separator at line 3, column 8": the end of a message says where) and
// shows the whole as its tooltip. A plain label asks for its whole text as its minimum width: beside the
// value's View selector, a message coming and going pushed the panel 60-90 px wider and back, and the keys
// and buckets beside it with it.
class ElidedLabel final : public QLabel
{
    Q_OBJECT

public:
    explicit ElidedLabel(Qt::TextElideMode mode, QWidget *parent = nullptr);

    QSize minimumSizeHint() const override;
    // The text does not fit the label's width and is drawn elided.
    bool isElided() const;
    // The text as drawn at the label's width: elided or whole.
    QString shownText() const;

protected:
    bool event(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;

private:
    Qt::TextElideMode m_mode;
};
