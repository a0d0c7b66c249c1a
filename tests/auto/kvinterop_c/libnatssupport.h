#pragma once

#include "kvinteropsupport.h"

#include <memory>

// libnats' header is C written for C compilers: keep its casts and pedantic nits out of our warnings.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
#pragma GCC diagnostic ignored "-Wold-style-cast"
#pragma GCC diagnostic ignored "-Wshadow"
#include <nats/nats.h>
#pragma GCC diagnostic pop

#include <QtCore/QByteArray>
#include <QtCore/QSet>
#include <QtCore/QString>

// Ownership and error reporting for the libnats objects tst_kvinterop_c uses.

template<auto Destroy>
struct CDeleter
{
    template<typename T>
    void operator()(T *object) const
    {
        Destroy(object);
    }
};

using CConnection = std::unique_ptr<natsConnection, CDeleter<&natsConnection_Destroy>>;
using CJetStream = std::unique_ptr<jsCtx, CDeleter<&jsCtx_Destroy>>;
using CKvStore = std::unique_ptr<kvStore, CDeleter<&kvStore_Destroy>>;
using CKvEntry = std::unique_ptr<kvEntry, CDeleter<&kvEntry_Destroy>>;
using CKvStatus = std::unique_ptr<kvStatus, CDeleter<&kvStatus_Destroy>>;
using CKvWatcher = std::unique_ptr<kvWatcher, CDeleter<&kvWatcher_Destroy>>;

struct CEntryList
{
    kvEntryList list{};
    ~CEntryList() { kvEntryList_Destroy(&list); }
};

struct CKeysList
{
    kvKeysList list{};
    ~CKeysList() { kvKeysList_Destroy(&list); }
    QSet<QString> toSet() const;
};

// A kvConfig for the options, and the strings it points to.
struct CBucketConfig
{
    CBucketConfig(const InteropBucketOptions &options, const QString &name);
    Q_DISABLE_COPY_MOVE(CBucketConfig)

    QByteArray bucket;
    QByteArray description;
    QByteArray republishSource;
    QByteArray republishDestination;
    jsRePublish republish{};
    kvConfig config{};
};

// "<status text>: <libnats' last error on this thread>".
QByteArray cError(natsStatus status);
QByteArray entryValue(kvEntry *entry);

#define C_OK(expression)                                                                                               \
    do {                                                                                                               \
        const natsStatus cStatus_ = (expression);                                                                      \
        QVERIFY2(cStatus_ == NATS_OK, cError(cStatus_).constData());                                                   \
    } while (false)

#define C_STATUS(expression, expected)                                                                                 \
    do {                                                                                                               \
        const natsStatus cStatus_ = (expression);                                                                      \
        QVERIFY2(cStatus_ == (expected), cError(cStatus_).constData());                                                \
    } while (false)

// The next entry of a libnats watcher (nullptr: the end of the initial values), waiting up to 5 s.
#define C_NEXT(watcher, entry)                                                                                         \
    do {                                                                                                               \
        kvEntry *next_ = nullptr;                                                                                      \
        C_OK(kvWatcher_Next(&next_, (watcher), 5000));                                                                 \
        (entry).reset(next_);                                                                                          \
    } while (false)
