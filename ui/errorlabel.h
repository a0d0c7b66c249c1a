#pragma once

#include <QtWidgets/QLabel>

// An inline message under the field or panel it concerns: hidden when empty, in the error colour. As tall
// as its text at its width (as WrappedLabel): a layout inside a splitter gives a wrapped label the height of
// its size hint, one line, and a message of two lines squeezed the widgets above it.
class ErrorLabel final : public QLabel
{
    Q_OBJECT

public:
    explicit ErrorLabel(QWidget *parent = nullptr);

    void setMessage(const QString &message);
    void setInfo(const QString &message); // same place, normal colour (e.g. "Saved as rev 12")
    // In a dialog: the room of lines is kept while there is no message, so a message of up to that many
    // lines neither grows nor moves the dialog; a longer one grows it, and it is given back once the
    // message is that short again.
    void reserveRoom(int lines);
    QString message() const { return text(); }
    // At most a few words wide: a longer word (a key of thousands of characters) is cut at the edge rather
    // than asked for as the label's width, which made the window wider than the screen.
    QSize minimumSizeHint() const override;
    bool isError() const { return m_error; }

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void fitHeight();
    // Also called again when the application palette changes (View → Theme).
    void applyColor(bool error);

    bool m_error = false;
    int m_reservedLines = 0;
    int m_windowHeightBefore = 0; // the window's height before a message longer than the room grew it
};
