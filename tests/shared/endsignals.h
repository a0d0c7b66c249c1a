#pragma once

#include "natserror.h"

#include <QtCore/QObject>
#include <QtCore/QStringList>

// How a reply or job ended, signal by signal, in the order they came. CONTRIBUTING's async shape says a
// failure is errorOccurred(code) and then finished(), exactly once: failure(code) is that list, and
// seen() must equal it (no finished() first, no second end). Works with any class that has both signals.
class EndSignals final : public QObject
{
    Q_OBJECT

public:
    template<typename Job>
    explicit EndSignals(Job *job)
    {
        connect(job, &Job::errorOccurred, this, &EndSignals::onError);
        connect(job, &Job::finished, this, &EndSignals::onFinished);
    }

    QStringList seen() const { return m_seen; }
    bool hasFinished() const { return m_seen.contains(finishedName()); }
    // What seen() holds after a failure with code.
    static QStringList failure(NatsError::Code code);

private:
    static QString finishedName();
    void onError(NatsError::Code code);
    void onFinished();

    QStringList m_seen;
};
