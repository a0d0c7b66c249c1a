#pragma once

#include <QtWidgets/QLabel>

// A word-wrapped label that is always as tall as its text at its width. A layout inside a splitter or a
// scroll area gives a wrapped label the height of its size hint, made for another width, and cuts the rest.
// Its minimum is its text's height at its width once a layout has given it one, asked again when the text
// changes (a longer notice in a banner of the same width) as when the width does.
class WrappedLabel final : public QLabel
{
    Q_OBJECT

public:
    explicit WrappedLabel(QWidget *parent = nullptr);

    QSize minimumSizeHint() const override;

protected:
    void resizeEvent(QResizeEvent *event) override;
};
