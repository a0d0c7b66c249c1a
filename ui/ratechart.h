#pragma once

#include <QtCore/QList>
#include <QtWidgets/QWidget>

// A small live chart of updates per second over the last minute: one bar a second, newest on the right,
// scaled to the busiest second, with the last second's rate written over it. Painted with QPainter in
// the palette's colours; it only draws what it is given (setCounts), so it costs nothing between updates.
class RateChart final : public QWidget
{
    Q_OBJECT

public:
    explicit RateChart(QWidget *parent = nullptr);

    // Per-second counts, oldest first (RateHistory::counts()); current is the rate to print.
    void setCounts(const QList<int> &counts, int current);
    QList<int> counts() const { return m_counts; }
    int current() const { return m_current; }

    // "0/s", "850/s", "1.2k/s", "20k/s", "1.5M/s".
    static QString rateText(int perSecond);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QList<int> m_counts;
    int m_current = 0;
};
