#include "placeholderfit.h"

#include <QtWidgets/QLineEdit>
#include <QtWidgets/QStyle>
#include <QtWidgets/QStyleOptionFrame>

namespace PlaceholderFit {

void apply(QWidget *widget)
{
    for (QLineEdit *edit : widget->findChildren<QLineEdit *>()) {
        if (edit->placeholderText().isEmpty())
            continue;
        // The frame and the text margins the style draws around the text, and room for a clear button.
        QStyleOptionFrame option;
        option.initFrom(edit);
        const int frame = edit->style()->pixelMetric(QStyle::PM_DefaultFrameWidth, &option, edit);
        const QMargins margins = edit->textMargins();
        const int clear = edit->isClearButtonEnabled() ? edit->height() : 0;
        const int width = edit->fontMetrics().horizontalAdvance(edit->placeholderText()) + 2 * frame + 8
            + margins.left() + margins.right() + clear;
        edit->setMinimumWidth(std::max(edit->minimumWidth(), width));
    }
}

} // namespace PlaceholderFit
