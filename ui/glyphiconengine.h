#pragma once

#include <QtGui/QIcon>
#include <QtGui/QIconEngine>

// A one-colour line drawing in the text colour of the application's palette at the time it is drawn, so it
// follows View → Theme: kvdesk's own icons (for the names the icon theme lacks) were drawn in one grey,
// which on the dark window was 2.6:1 and hard to make out. Selected items draw it in their text colour.
class GlyphIconEngine final : public QIconEngine
{
public:
    // glyph: any one-colour icon; only its shape (alpha) is used.
    explicit GlyphIconEngine(const QIcon &glyph);

    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State state) override;
    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state) override;
    QSize actualSize(const QSize &size, QIcon::Mode mode, QIcon::State state) override;
    QList<QSize> availableSizes(QIcon::Mode mode, QIcon::State state) override;
    QString key() const override;
    QIconEngine *clone() const override;
    bool isNull() override;

private:
    QIcon m_glyph;
};
