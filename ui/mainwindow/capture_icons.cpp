// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow/capture_icons.h"

#include <QIconEngine>
#include <QPainter>
#include <QPainterPath>

namespace procscope::ui {

namespace {

class GlyphEngine final : public QIconEngine {
public:
    enum class Shape { Start, Stop };
    explicit GlyphEngine(Shape shape)
        : m_shape(shape)
    {
    }

    void paint(QPainter* painter, const QRect& rect, QIcon::Mode mode, QIcon::State) override
    {
        const qreal side = std::min(rect.width(), rect.height()) * 0.8;
        const QRectF box(rect.center().x() - side / 2 + 0.5, rect.center().y() - side / 2 + 0.5, side, side);
        QColor fill = m_shape == Shape::Start ? QColor(0x2e, 0x9d, 0x3f) : QColor(0xd3, 0x2f, 0x2f);
        if (mode == QIcon::Disabled)
            fill = QColor(0x9e, 0x9e, 0x9e);
        painter->save();
        painter->setRenderHint(QPainter::Antialiasing);
        painter->setPen(QPen(fill.darker(130), std::max<qreal>(1, side / 16)));
        painter->setBrush(fill);
        if (m_shape == Shape::Start) {
            QPainterPath triangle;
            triangle.moveTo(box.left() + side * 0.12, box.top());
            triangle.lineTo(box.right(), box.center().y());
            triangle.lineTo(box.left() + side * 0.12, box.bottom());
            triangle.closeSubpath();
            painter->drawPath(triangle);
        } else {
            painter->drawRoundedRect(box.adjusted(side * 0.08, side * 0.08, -side * 0.08, -side * 0.08), side / 10, side / 10);
        }
        painter->restore();
    }
    // QIconEngine's own pixmap() leaves the pixmap uninitialised around the glyph (black
    // corners on a toolbar): start from a transparent one.
    QPixmap pixmap(const QSize& size, QIcon::Mode mode, QIcon::State state) override
    {
        QPixmap pixmap(size);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        paint(&painter, QRect(QPoint(), size), mode, state);
        return pixmap;
    }
    QIconEngine* clone() const override { return new GlyphEngine(m_shape); }

private:
    Shape m_shape;
};

} // namespace

QIcon startCaptureIcon() { return QIcon(new GlyphEngine(GlyphEngine::Shape::Start)); }

QIcon stopCaptureIcon() { return QIcon(new GlyphEngine(GlyphEngine::Shape::Stop)); }

} // namespace procscope::ui
