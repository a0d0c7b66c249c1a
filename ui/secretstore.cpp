#include "secretstore.h"

#include <qt6keychain/keychain.h>

using namespace Qt::StringLiterals;

SecretStore::SecretStore(QObject *parent)
    : QObject(parent)
{
}

QString SecretStore::serviceName()
{
    return u"kvdesk"_s;
}

// Jobs have no parent and delete themselves when finished (QtKeychain's autoDelete): a job destroyed
// while its D-Bus call is in flight crashes in libsecret's callback. Our lambdas are connected with
// this or a guard as context, so they simply do not run once we are gone.

void SecretStore::probe()
{
    // Reading an entry that does not exist tells whether a backend answers at all.
    auto *job = new QKeychain::ReadPasswordJob(serviceName());
    job->setKey(u"kvdesk-probe"_s);
    job->setInsecureFallback(false);
    connect(job, &QKeychain::Job::finished, this, [this](QKeychain::Job *done) {
        m_probed = true;
        m_available = done->error() == QKeychain::NoError || done->error() == QKeychain::EntryNotFound;
        m_reason = m_available ? QString() : done->errorString();
        Q_EMIT availabilityChanged(m_available);
    });
    job->start();
}

void SecretStore::read(const QString &profileId, QObject *context, const ReadCallback &callback)
{
    auto *job = new QKeychain::ReadPasswordJob(serviceName());
    job->setKey(profileId);
    job->setInsecureFallback(false);
    const QPointer<QObject> guard(context);
    connect(job, &QKeychain::Job::finished, this, [guard, callback](QKeychain::Job *done) {
        if (!guard)
            return;
        const auto *readJob = static_cast<QKeychain::ReadPasswordJob *>(done);
        if (done->error() == QKeychain::NoError)
            callback(true, readJob->textData(), {});
        else if (done->error() == QKeychain::EntryNotFound)
            callback(false, {}, {});
        else
            callback(false, {}, done->errorString());
    });
    job->start();
}

void SecretStore::write(const QString &profileId, const QString &secret, QObject *context,
                        const WriteCallback &callback)
{
    auto *job = new QKeychain::WritePasswordJob(serviceName());
    job->setKey(profileId);
    job->setInsecureFallback(false); // never a clear-text fallback
    job->setTextData(secret);
    const QPointer<QObject> guard(context);
    connect(job, &QKeychain::Job::finished, this, [this, guard, callback](QKeychain::Job *done) {
        const bool ok = done->error() == QKeychain::NoError;
        if (!ok && !m_probed) {
            m_probed = true;
            m_available = false;
            m_reason = done->errorString();
            Q_EMIT availabilityChanged(false);
        }
        if (guard)
            callback(ok, ok ? QString() : done->errorString());
    });
    job->start();
}

void SecretStore::remove(const QString &profileId)
{
    auto *job = new QKeychain::DeletePasswordJob(serviceName());
    job->setKey(profileId);
    job->setInsecureFallback(false);
    job->start();
}
