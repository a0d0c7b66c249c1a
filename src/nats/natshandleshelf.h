#pragma once

#include <QtCore/QPointer>

class QObject;

// Parents for the short-lived handles (replies) of a long-lived owner (connection, JetStream context,
// bucket). Qt finds and removes a child in its parent's children list in linear time, so with
// thousands of pipelined requests parented to one owner every finished reply cost O(n), O(n^2) in
// all; one long-lived child ahead of them (a timer, a watcher) was enough. Handles go onto shelves of
// at most 256 instead: the shelves are children of the owner, and a full shelf deletes itself once its
// last handle is gone. A handle on a shelf still dies with its owner.
class NatsHandleShelf final
{
public:
    static constexpr int Capacity = 256;

    explicit NatsHandleShelf(QObject *owner);

    // The parent to give the next handle.
    QObject *next();

private:
    QObject *m_owner;
    QPointer<QObject> m_current;
    int m_used = 0;
};
