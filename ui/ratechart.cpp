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
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setToolTip(legend());
}

QSize RateChart::sizeHint() const
{
    // Room for the legend line, three lines of bars and the time axis.
    return {scaleWidth() + 360, 5 * fontMetrics().height() + 8};
}

QSize RateChart::minimumSizeHint() const
{
    return {scaleWidth() + 120, sizeHint().height()};
}

int RateChart::scaleWidth() const
{
    return fontMetrics().horizontalAdvance(u"000.0k/s"_s) + 10;
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

int RateChart::peak() const
{
    return m_counts.isEmpty() ? 0 : *std::max_element(m_counts.cbegin(), m_counts.cend());
}

QString RateChart::legend() const
{
    return tr("now %1 · peak %2").arg(rateText(m_current), rateText(peak()));
}

QStringList RateChart::axisLabels() const
{
    return {rateText(peak()), tr("0"), tr("%n s ago", nullptr, int(qMax<qsizetype>(m_counts.size(), 60))), tr("now")};
}

void RateChart::setCounts(const QList<int> &counts, int current)
{
    if (counts == m_counts && current == m_current)
        return;
    m_counts = counts;
    m_current = current;
    setToolTip(legend() + tr(" (updates per second over the last minute)"));
    update();
}

void RateChart::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().color(QPalette::Base));
    const int line = fontMetrics().height();
    const QRectF plot = QRectF(rect()).adjusted(scaleWidth(), line + 2, -4, -(line + 2));
    if (plot.width() <= 0 || plot.height() <= 0)
        return;
    paintBars(painter, plot);
    paintAxes(painter, plot);
}

void RateChart::paintBars(QPainter &painter, const QRectF &plot) const
{
    const int top = peak();
    if (top <= 0)
        return;
    // Bars as one filled path: the shape of the last minute, newest second on the right.
    const qreal step = plot.width() / qreal(m_counts.size());
    QPainterPath path;
    path.moveTo(plot.left(), plot.bottom());
    for (qsizetype i = 0; i < m_counts.size(); ++i) {
        const qreal height = plot.height() * m_counts[i] / top;
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

void RateChart::paintAxes(QPainter &painter, const QRectF &plot) const
{
    const QStringList labels = axisLabels();
    const int line = fontMetrics().height();
    const QColor text = palette().color(QPalette::Text);
    // The peak's level, dotted, and the axes: the text colour toned down, so they read on light and dark.
    QColor rule = text;
    rule.setAlpha(110);
    painter.setPen(QPen(rule, 1, Qt::DotLine));
    painter.drawLine(QPointF(plot.left(), plot.top()), QPointF(plot.right(), plot.top()));
    painter.setPen(QPen(rule, 1));
    painter.drawLine(QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom()));
    painter.drawLine(QPointF(plot.left(), plot.top()), QPointF(plot.left(), plot.bottom()));

    painter.setPen(text);
    const qreal scaleRight = plot.left() - 4;
    painter.drawText(QRectF(0, plot.top() - line / 2.0, scaleRight, line), Qt::AlignRight | Qt::AlignVCenter,
                     labels.at(0));
    painter.drawText(QRectF(0, plot.bottom() - line / 2.0, scaleRight, line), Qt::AlignRight | Qt::AlignVCenter,
                     labels.at(1));
    const QRectF timeAxis(plot.left(), plot.bottom() + 2, plot.width(), line);
    painter.drawText(timeAxis, Qt::AlignLeft | Qt::AlignTop, labels.at(2));
    painter.drawText(timeAxis, Qt::AlignRight | Qt::AlignTop, labels.at(3));
    painter.drawText(QRectF(plot.left(), 0, plot.width(), line + 2), Qt::AlignRight | Qt::AlignVCenter, legend());
}
