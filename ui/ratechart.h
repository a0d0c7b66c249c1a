#pragma once

#include <QtCore/QList>
#include <QtCore/QStringList>
#include <QtWidgets/QWidget>

// The live chart of updates per second over the last minute, in a row of its own across the watch tab:
// one bar a second, newest on the right, scaled to the busiest second. The rate scale (the peak, 0) is
// written on the left, the minute ("60 s ago" … "now") along the bottom, and the current and peak
// rates over the plot. Painted with QPainter in the palette's colours; it only draws what it is given
// (setCounts), so it costs nothing between updates.
class RateChart final : public QWidget
{
    Q_OBJECT

public:
    explicit RateChart(QWidget *parent = nullptr);

    // Per-second counts, oldest first (RateHistory::counts()); current is the rate to print.
    void setCounts(const QList<int> &counts, int current);
    QList<int> counts() const { return m_counts; }
    int current() const { return m_current; }
    int peak() const;

    // "now 850/s · peak 2.0k/s": written over the plot, and the tooltip.
    QString legend() const;
    // What the axes say: the scale's top and bottom, then the time axis's left and right ends.
    QStringList axisLabels() const;

    // "0/s", "850/s", "1.2k/s", "20k/s", "1.5M/s".
    static QString rateText(int perSecond);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    int scaleWidth() const;
    void paintBars(QPainter &painter, const QRectF &plot) const;
    void paintAxes(QPainter &painter, const QRectF &plot) const;

    QList<int> m_counts;
    int m_current = 0;
};
