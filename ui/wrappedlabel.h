#pragma once

#include <QtWidgets/QLabel>

// A word-wrapped label that is always as tall as its text at its width. A layout inside a splitter or a
// scroll area gives a wrapped label the height of its size hint, made for another width, and cuts the rest.
class WrappedLabel final : public QLabel
{
    Q_OBJECT

public:
    explicit WrappedLabel(QWidget *parent = nullptr);

protected:
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void fitHeight();
};
