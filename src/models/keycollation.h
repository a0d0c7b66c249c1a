#pragma once

#include <QtCore/QByteArrayView>
#include <QtCore/QObject>
#include <QtCore/QString>

// The order keys are shown in, list and tree alike. Keys compare token by token ("." separates levels
// and so sorts before any other character): the list's order is then exactly the tree's walked top to
// bottom, and a tree folder's children are in the order their keys have in the list.
//   Natural: as file managers sort names: case-insensitive, digit runs compare as numbers ("key2" before
//            "key10"); names that only differ in case or leading zeros fall back to byte order, so the
//            order is total and the same on every run.
//   Plain:   byte order of each token (UTF-8, so code point order).
class KeyCollation final
{
    Q_GADGET

public:
    enum class Order {
        Natural,
        Plain
    };
    Q_ENUM(Order)

    // < 0, 0, > 0 as a sorts before, with or after b. Keys are UTF-8.
    static int compare(QByteArrayView a, QByteArrayView b, Order order);
    // One token (no "." in it).
    static int compareToken(QByteArrayView a, QByteArrayView b, Order order);
    static int compare(const QString &a, const QString &b, Order order);

    // The order as stored in settings ("natural", "plain") and back; anything else is Natural.
    static QString orderName(Order order);
    static Order orderFromName(const QString &name);
};
