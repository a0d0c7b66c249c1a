#include "endsignals.h"

using namespace Qt::StringLiterals;

QStringList EndSignals::failure(NatsError::Code code)
{
    return {u"errorOccurred(%1)"_s.arg(NatsError::codeName(code)), finishedName()};
}

QString EndSignals::finishedName()
{
    return u"finished()"_s;
}

void EndSignals::onError(NatsError::Code code)
{
    m_seen.append(u"errorOccurred(%1)"_s.arg(NatsError::codeName(code)));
}

void EndSignals::onFinished()
{
    m_seen.append(finishedName());
}
