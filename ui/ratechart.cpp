#include "ratechart.h"

#include <QtGui/QPainter>
#include <QtGui/QPainterPath>

#include <algorithm>

using namespace Qt::StringLiterals;

RateChart::RateChart(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(u"rateChart"_s);
    setAccessibleName(tr("Updates per second over the last minute"));
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
}

QSize RateChart::sizeHint() const
{
    return {fontMetrics().horizontalAdvance(u"000.0k/s"_s) + 130, fontMetrics().height() + 10};
}

QSize RateChart::minimumSizeHint() const
{
    return sizeHint();
}

QString RateChart::rateText(int perSecond)
{
    if (perSecond < 1000)
        return tr("%1/s").arg(perSecond);
    if (perSecond < 10000)
        return tr("%1k/s").arg(perSecond / 1000.0, 0, 'f', 1);
    if (perSecond < 1000000)
        return tr("%1k/s").arg(perSecond / 1000);
    return tr("%1M/s").arg(perSecond / 1000000.0, 0, 'f', 1);
}

void RateChart::setCounts(const QList<int> &counts, int current)
{
    if (counts == m_counts && current == m_current)
        return;
    m_counts = counts;
    m_current = current;
    setToolTip(tr("%1 now, peak %2 in the last minute")
                   .arg(rateText(current),
                        rateText(counts.isEmpty() ? 0 : *std::max_element(counts.cbegin(), counts.cend()))));
    update();
}

void RateChart::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    const QRectF frame = QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5);
    painter.fillRect(rect(), palette().color(QPalette::Base));
    painter.setPen(palette().color(QPalette::Mid));
    painter.drawRect(frame);

    const QString label = rateText(m_current);
    const int labelWidth = fontMetrics().horizontalAdvance(u"000.0k/s"_s) + 8;
    const QRectF plot = frame.adjusted(labelWidth, 3, -3, -3);
    const int peak = m_counts.isEmpty() ? 0 : *std::max_element(m_counts.cbegin(), m_counts.cend());
    if (peak > 0 && plot.width() > 0) {
        // Bars as one filled path: the shape of the last minute, newest second on the right.
        const qreal step = plot.width() / qreal(m_counts.size());
        QPainterPath path;
        path.moveTo(plot.left(), plot.bottom());
        for (qsizetype i = 0; i < m_counts.size(); ++i) {
            const qreal height = plot.height() * m_counts[i] / peak;
            const qreal x = plot.left() + step * qreal(i);
            path.lineTo(x, plot.bottom() - height);
            path.lineTo(x + step, plot.bottom() - height);
        }
        path.lineTo(plot.right(), plot.bottom());
        path.closeSubpath();
        QColor fill = palette().color(QPalette::Highlight);
        fill.setAlpha(110);
        painter.fillPath(path, fill);
        painter.setPen(QPen(palette().color(QPalette::Highlight), 1));
        painter.drawPath(path);
    }
    painter.setPen(palette().color(QPalette::Text));
    painter.drawText(QRectF(frame.left() + 4, frame.top(), labelWidth - 6, frame.height()),
                     Qt::AlignVCenter | Qt::AlignRight, label);
}
