#include "keylistmodel.h"
#include "kvbucket.h"
#include "kvbucketconfig.h"
#include "kvclient.h"
#include "kvcontext.h"
#include "kvtestsupport.h"
#include "kvtwocopies.h"
#include "natsconnection.h"
#include "natsconnectoptions.h"
#include "natsserverprocess.h"
#include "valueeditsession.h"

#include <QtGui/QTextCursor>
#include <QtGui/QTextDocument>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

using Choice = ValueEditSession::Choice;

// The value editor's save and conflict flow without a window, against a real nats-server: the session
// is the panel's model, a QTextDocument stands in for its editor, and a second client is "someone else".
class tst_ValueEditSession final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void saveIsAnUpdateOnTheOpenedRevision();
    void typingOneCharacterChangesOneCharacter_data();
    void typingOneCharacterChangesOneCharacter();
    void changeByOthersReloadsAnUnmodifiedValue();
    void changeByOthersWhileEditingShowsANotice();
    void refusedSaveShowsBothVersionsAndKeepEditingWritesNothing();
    void keepEditingAfterADeleteSaysItWasDeleted();
    void overwriteWritesOnTheNewerRevisionOnly();
    void overwriteIsStillRefusedOverAnEvenNewerRevision();
    void aThirdWriterWhileChoosingIsShownAndChosenOn();
    void takeTheirsOpensTheNewerRevision();
    void deletedByOthersWhileEditing();
    void readOnlyWritesNothing();
    void sizeWarningCountsTheHeadersTheSaveCarries();
    void unchangedIsTheValueAsLoadedInTheViewShown();
    void anotherCopyOfTheBucketIsNeverSavedOver();
    void aBucketMadeAgainIsNeverSavedOver();

private:
    bool open(const QString &key);
    bool saveAndWait(const QString &text);
    // key() opened at "original" and edited while someone else saves "theirs": saving "mine" is refused
    // (refused, a spy on saveRefused(), sees it).
    bool saveOverTheirs(QSignalSpy &refused);
    QString key() const { return u"k%1"_s.arg(m_counter); }

    NatsServerProcess m_server;
    NatsConnection *m_connection = nullptr;
    NatsConnection *m_peerConnection = nullptr;
    KvContext *m_kv = nullptr;
    KvBucket *m_bucket = nullptr;
    KvBucket *m_peer = nullptr; // someone else
    KeyListModel *m_keys = nullptr;
    ValueEditSession *m_session = nullptr;
    int m_counter = 0;
};

void tst_ValueEditSession::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    const NatsConnectOptions options = NatsConnectOptions::fromUrl(m_server.url());
    QVERIFY(KvTest::connectClient(options, this, &m_connection, nullptr, &m_kv));
    KvContext *peerKv = nullptr;
    QVERIFY(KvTest::connectClient(options, this, &m_peerConnection, nullptr, &peerKv));
    KvBucketConfig config;
    config.bucket = u"edits"_s;
    config.history = 10;
    QVERIFY(KvTest::createBucket(m_kv, config));
    m_bucket = m_kv->bucket(config.bucket, this);
    m_peer = peerKv->bucket(config.bucket, this);
}

void tst_ValueEditSession::init()
{
    ++m_counter;
    m_keys = new KeyListModel(this);
    m_keys->load(m_bucket);
    m_session = new ValueEditSession(this);
    m_session->setBucket(m_bucket, m_keys);
}

void tst_ValueEditSession::cleanup()
{
    delete m_session;
    delete m_keys;
}

bool tst_ValueEditSession::open(const QString &key)
{
    QSignalSpy opened(m_session, &ValueEditSession::opened);
    m_session->open(key);
    return opened.wait(10000) && m_session->isOpen();
}

bool tst_ValueEditSession::saveAndWait(const QString &text)
{
    QSignalSpy saved(m_session, &ValueEditSession::saved);
    m_session->setModified(true);
    m_session->save(text);
    return saved.wait(10000);
}

bool tst_ValueEditSession::saveOverTheirs(QSignalSpy &refused)
{
    const auto written = [](NatsReply *reply) {
        return QTest::qWaitFor([reply] { return reply->isFinished(); }, KvTest::ReplyTimeoutMs)
            && reply->error() == NatsError::NoError;
    };
    if (!written(m_peer->put(key(), "original")) || !open(key()))
        return false;
    m_session->setModified(true);
    if (!written(m_peer->put(key(), "theirs")))
        return false;
    m_session->save(u"mine"_s);
    return refused.wait(10000);
}

void tst_ValueEditSession::saveIsAnUpdateOnTheOpenedRevision()
{
    WAIT_OK(m_peer->put(key(), "v1"));
    QVERIFY(open(key()));
    QCOMPARE(m_session->baseRevision(), m_session->entry().revision);
    const quint64 opened = m_session->baseRevision();
    QVERIFY(saveAndWait(u"v2"_s));
    QCOMPARE(m_session->baseRevision(), opened + 1);
    QCOMPARE(m_session->entry().value, "v2"_ba);
    QVERIFY(!m_session->isModified());
    QCOMPARE(KvTest::value(m_peer, key()), "v2"_ba);

    // A key nobody wrote yet: the save is a create.
    QSignalSpy failed(m_session, &ValueEditSession::openFailed);
    m_session->open(key() + u".new"_s);
    QVERIFY(failed.wait(10000));
    QCOMPARE(m_session->baseRevision(), 0u);
}

void tst_ValueEditSession::typingOneCharacterChangesOneCharacter_data()
{
    QTest::addColumn<QByteArray>("stored");
    QTest::addColumn<QString>("after");
    QTest::newRow("CRLF") << "one\r\ntwo\r\n"_ba << u"one"_s;
    QTest::newRow("NBSP") << u"1\u00A0000\u00A0EUR"_s.toUtf8() << u"000"_s;
    QTest::newRow("U+2028") << u"a\u2028b\u2029c"_s.toUtf8() << u"b"_s;
    QTest::newRow("compact JSON, trailing newline")
        << "{\"id\":17,\"status\":\"paid\",\"items\":[1,2,3],\"ok\":true}\n"_ba << u"paid"_s;
}

void tst_ValueEditSession::typingOneCharacterChangesOneCharacter()
{
    QFETCH(QByteArray, stored);
    QFETCH(QString, after);
    WAIT_OK(m_peer->put(key(), stored));
    QVERIFY(open(key()));
    QTextDocument editor;
    editor.setPlainText(m_session->document().text());
    QTextCursor cursor = editor.find(after);
    QVERIFY(!cursor.isNull());
    cursor.clearSelection();
    cursor.insertText(u"X"_s);
    QVERIFY(saveAndWait(editor.toPlainText()));
    QByteArray expected = stored;
    expected.insert(stored.indexOf(after.toUtf8()) + after.toUtf8().size(), 'X');
    QCOMPARE(KvTest::value(m_peer, key()), expected);
}

void tst_ValueEditSession::changeByOthersReloadsAnUnmodifiedValue()
{
    WAIT_OK(m_peer->put(key(), "old"));
    QVERIFY(open(key()));
    QSignalSpy opened(m_session, &ValueEditSession::opened);
    WAIT_OK(m_peer->put(key(), "new")); // runs the event loop: the reload may be done already
    QTRY_VERIFY_WITH_TIMEOUT(!opened.isEmpty(), 10000);
    QCOMPARE(m_session->entry().value, "new"_ba);
    QVERIFY(m_session->notice().isEmpty());
}

void tst_ValueEditSession::changeByOthersWhileEditingShowsANotice()
{
    WAIT_OK(m_peer->put(key(), "old"));
    QVERIFY(open(key()));
    const quint64 opened = m_session->baseRevision();
    m_session->setModified(true);
    QSignalSpy notice(m_session, &ValueEditSession::noticeChanged);
    WAIT_OK(m_peer->put(key(), "theirs"));
    QTRY_VERIFY_WITH_TIMEOUT(!notice.isEmpty(), 10000);
    QVERIFY2(m_session->notice().contains(u"revision %1"_s.arg(opened + 1)), qPrintable(m_session->notice()));
    QCOMPARE(m_session->newerRevision(), opened + 1);
    QCOMPARE(m_session->baseRevision(), opened); // nothing of the user's was replaced
    QCOMPARE(m_session->entry().value, "old"_ba);
}

void tst_ValueEditSession::refusedSaveShowsBothVersionsAndKeepEditingWritesNothing()
{
    WAIT_OK(m_peer->put(key(), "original"));
    QVERIFY(open(key()));
    m_session->setModified(true);
    WAIT_OK(m_peer->put(key(), "theirs"));

    QSignalSpy refused(m_session, &ValueEditSession::saveRefused);
    QSignalSpy failed(m_session, &ValueEditSession::failed);
    m_session->save(u"mine"_s);
    QVERIFY(refused.wait(10000));
    QVERIFY2(failed.first().first().toString().startsWith(u"Not saved"_s),
             qPrintable(failed.first().first().toString()));
    const KvEntry theirs = refused.first().at(0).value<KvEntry>();
    QCOMPARE(theirs.value, "theirs"_ba);
    QCOMPARE(theirs.revision, m_session->baseRevision() + 1);
    QCOMPARE(refused.first().at(1).toByteArray(), "mine"_ba);

    m_session->resolve(Choice::KeepEditing);
    QVERIFY(!m_session->notice().isEmpty());
    QCOMPARE(m_session->newerRevision(), theirs.revision);
    // Until the user chooses otherwise, every save is refused again.
    m_session->save(u"mine again"_s);
    QVERIFY(refused.wait(10000));
    QCOMPARE(KvTest::value(m_peer, key()), "theirs"_ba);
}

// The banner after Keep Editing said "Revision 28 by someone else is newer" of a delete: it says what
// the newer revision did.
void tst_ValueEditSession::keepEditingAfterADeleteSaysItWasDeleted()
{
    WAIT_OK(m_peer->put(key(), "original"));
    QVERIFY(open(key()));
    m_session->setModified(true);
    WAIT_OK(m_peer->remove(key()));
    QSignalSpy refused(m_session, &ValueEditSession::saveRefused);
    m_session->save(u"mine"_s);
    QVERIFY(refused.wait(10000));
    const KvEntry theirs = refused.first().at(0).value<KvEntry>();
    QVERIFY(theirs.isDeleted());
    m_session->resolve(Choice::KeepEditing);
    QVERIFY2(m_session->notice().contains(u"deleted the key (DEL at revision %1)"_s.arg(theirs.revision)),
             qPrintable(m_session->notice()));
    QVERIFY2(!m_session->notice().contains(u"is newer"_s), qPrintable(m_session->notice()));
}

void tst_ValueEditSession::overwriteWritesOnTheNewerRevisionOnly()
{
    QSignalSpy refused(m_session, &ValueEditSession::saveRefused);
    QVERIFY(saveOverTheirs(refused));
    QSignalSpy saved(m_session, &ValueEditSession::saved);
    m_session->resolve(Choice::Overwrite);
    QVERIFY(saved.wait(10000));
    KvReply *history = m_peer->history(key());
    WAIT_OK(history);
    QCOMPARE(history->entries().size(), 3); // original, theirs, mine: nothing lost
    QCOMPARE(history->entries()[1].value, "theirs"_ba);
    QCOMPARE(history->entries()[2].value, "mine"_ba);
    QCOMPARE(m_session->baseRevision(), history->entries()[2].revision);
}

void tst_ValueEditSession::overwriteIsStillRefusedOverAnEvenNewerRevision()
{
    QSignalSpy refused(m_session, &ValueEditSession::saveRefused);
    QVERIFY(saveOverTheirs(refused));
    // While the user looks at both versions, a third writer comes in: the overwrite is refused too.
    WAIT_OK(m_peer->put(key(), "third"));
    const quint64 opened = m_session->entry().revision;
    m_session->resolve(Choice::Overwrite);
    QVERIFY(refused.wait(10000));
    QCOMPARE(refused.last().at(0).value<KvEntry>().value, "third"_ba);
    QCOMPARE(KvTest::value(m_peer, key()), "third"_ba);
    // The edit is still based on the revision opened (the refusal says so, and a merge's base is it), not
    // on the one the overwrite was meant for: a tryout saw "you opened revision 76" of one opened at 75.
    QCOMPARE(m_session->baseRevision(), opened);
    m_session->resolve(Choice::Merge);
    QTRY_VERIFY2(m_session->document().text().contains(u"||||||| revision %1"_s.arg(opened)),
                 qPrintable(m_session->document().text()));
}

// The user is shown the newer revision (theirsChanged()) and chooses on it, naming it: the overwrite goes
// on top of it. Not named (the dialog did not show it), the same overwrite is refused, as above.
void tst_ValueEditSession::aThirdWriterWhileChoosingIsShownAndChosenOn()
{
    QSignalSpy refused(m_session, &ValueEditSession::saveRefused);
    QVERIFY(saveOverTheirs(refused));
    QSignalSpy changed(m_session, &ValueEditSession::theirsChanged);
    WAIT_OK(m_peer->put(key(), "third"));
    QTRY_VERIFY_WITH_TIMEOUT(!changed.isEmpty(), 10000);
    const KvEntry third = changed.last().at(0).value<KvEntry>();
    QCOMPARE(third.value, "third"_ba);
    QSignalSpy saved(m_session, &ValueEditSession::saved);
    m_session->resolve(Choice::Overwrite, third.revision);
    QVERIFY(saved.wait(10000));
    QCOMPARE(refused.size(), 1);
    KvReply *history = m_peer->history(key());
    QTRY_VERIFY(history->isFinished());
    QCOMPARE(history->entries().size(), 4); // nothing lost
    QCOMPARE(history->entries().at(2).value, "third"_ba);
    QCOMPARE(history->entries().at(3).value, "mine"_ba);
}

void tst_ValueEditSession::takeTheirsOpensTheNewerRevision()
{
    QSignalSpy refused(m_session, &ValueEditSession::saveRefused);
    QVERIFY(saveOverTheirs(refused));
    QSignalSpy opened(m_session, &ValueEditSession::opened);
    m_session->resolve(Choice::TakeTheirs);
    QVERIFY(opened.wait(10000));
    QCOMPARE(m_session->entry().value, "theirs"_ba);
    QCOMPARE(m_session->document().text(), u"theirs"_s);
    QVERIFY(!m_session->isModified());
    QVERIFY(m_session->notice().isEmpty());
}

void tst_ValueEditSession::deletedByOthersWhileEditing()
{
    WAIT_OK(m_peer->put(key(), "original"));
    QVERIFY(open(key()));
    m_session->setModified(true);
    QSignalSpy notice(m_session, &ValueEditSession::noticeChanged);
    WAIT_OK(m_peer->remove(key()));
    QTRY_VERIFY_WITH_TIMEOUT(!notice.isEmpty(), 10000);
    QVERIFY2(m_session->notice().contains(u"deleted"_s), qPrintable(m_session->notice()));
    QSignalSpy refused(m_session, &ValueEditSession::saveRefused);
    m_session->save(u"mine"_s);
    QVERIFY(refused.wait(10000));
    QVERIFY(refused.first().at(0).value<KvEntry>().isDeleted());
    QSignalSpy saved(m_session, &ValueEditSession::saved);
    m_session->resolve(Choice::Overwrite); // brings the key back, on top of the marker
    QVERIFY(saved.wait(10000));
    QCOMPARE(KvTest::value(m_peer, key()), "mine"_ba);
}

void tst_ValueEditSession::readOnlyWritesNothing()
{
    WAIT_OK(m_peer->put(key(), "v"));
    m_session->setReadOnly(true);
    QVERIFY(open(key()));
    QVERIFY(!m_session->canWrite());
    QSignalSpy info(m_session, &ValueEditSession::info);
    m_session->setModified(true);
    m_session->save(u"changed"_s);
    m_session->removeKey(true, m_session->baseRevision());
    QVERIFY(info.isEmpty());
    QVERIFY(!m_session->isBusy());
    QCOMPARE(KvTest::value(m_peer, key()), "v"_ba);
}

void tst_ValueEditSession::sizeWarningCountsTheHeadersTheSaveCarries()
{
    // The panel warns while typing when the value would not fit; it allowed a flat 64 bytes for the
    // headers of an update, which carries 52 here (its guard on revision 1): a value that fits was
    // called too big (a tryout).
    KvBucketConfig config;
    config.bucket = u"sized"_s;
    config.maxValueSize = 200;
    QVERIFY(KvTest::createBucket(m_kv, config));
    KvBucket *bucket = m_kv->bucket(config.bucket, this);
    WAIT_OK(bucket->put(u"k"_s, "v1"));
    m_keys->load(bucket);
    m_session->setBucket(bucket, m_keys);
    QVERIFY(open(u"k"_s));
    QCOMPARE(m_session->saveGoesOver(), 1u);
    const qint64 fits = 200 - qint64(sizeof("NATS/1.0\r\nNats-Expected-Last-Subject-Sequence: 1\r\n\r\n") - 1);
    QVERIFY2(m_session->sizeProblem(fits).isEmpty(), qPrintable(m_session->sizeProblem(fits)));
    const QString tooBig = m_session->sizeProblem(fits + 1);
    QVERIFY2(tooBig.contains(u"and 201 with the headers"_s), qPrintable(tooBig));
    // What the warning says is what the server does.
    QVERIFY(saveAndWait(QString(fits, u'x')));
    QCOMPARE(KvTest::value(bucket, u"k"_s).size(), fits);
    QCOMPARE(m_session->saveGoesOver(), 2u);
    QSignalSpy failed(m_session, &ValueEditSession::failed);
    m_session->setModified(true);
    m_session->save(QString(fits + 1, u'y'));
    QVERIFY(failed.wait(10000));
    QVERIFY2(failed.first().at(0).toString().contains(u"at most 200"_s), qPrintable(failed.first().at(0).toString()));
    QCOMPARE(KvTest::value(bucket, u"k"_s).size(), fits);

    // A key nobody wrote yet is saved with a create, whose guard is the same length.
    QSignalSpy notFound(m_session, &ValueEditSession::openFailed);
    m_session->open(u"new"_s);
    QVERIFY(notFound.wait(10000));
    QCOMPARE(m_session->saveGoesOver(), 0u);
    QVERIFY(m_session->sizeProblem(fits).isEmpty());
    QVERIFY(!m_session->sizeProblem(fits + 1).isEmpty());
}

// What "nothing unsaved" means is the value as loaded, in the view shown: the document's own text while it
// shows that value, that value in the view an edit was taken to, and beside a reformat the text as loaded.
void tst_ValueEditSession::unchangedIsTheValueAsLoadedInTheViewShown()
{
    using View = ValueDocument::View;
    WAIT_OK(m_peer->put(key(), "{\"a\":1}"));
    QVERIFY(open(key()));
    QCOMPARE(m_session->document().view(), View::Json);
    const QString loaded = m_session->document().text();
    QVERIFY(m_session->isUnchanged(loaded));
    QCOMPARE(m_session->unchangedLength(), loaded.size());
    QVERIFY(!m_session->isUnchanged(u"{\"a\":2}"_s));

    // An edit taken to the Text view: the document shows the edit, and unchanged is still the loaded value.
    QString error;
    m_session->setModified(true);
    QVERIFY(m_session->setView(View::Text, u"{\"a\":2}"_s, &error));
    QCOMPARE(m_session->document().text(), u"{\"a\":2}"_s);
    QVERIFY(!m_session->isUnchanged(m_session->document().text()));
    QVERIFY(m_session->isUnchanged(u"{\"a\":1}"_s));
    // The edit taken back, then to the Hex view: the loaded value's hex dump.
    QVERIFY(m_session->setView(View::Hex, u"{\"a\":1}"_s, &error));
    QVERIFY(m_session->isUnchanged(m_session->document().text()));
    QVERIFY(m_session->document().text().contains(u"7b 22 61"_s));
    QCOMPARE(m_session->unchangedLength(), m_session->document().text().size());

    // Reformatted: an edit (the value as loaded is compact).
    QVERIFY(m_session->setView(View::Json, m_session->document().text(), &error));
    QVERIFY(m_session->reformat(u"{\"a\":1}"_s, &error));
    QVERIFY(!m_session->isUnchanged(m_session->document().text()));
    QVERIFY(m_session->isUnchanged(u"{\"a\":1}"_s));
    m_session->revert();
    QVERIFY(m_session->isUnchanged(m_session->document().text()));

    m_session->close();
    QCOMPARE(m_session->unchangedLength(), -1);
    QVERIFY(!m_session->isUnchanged(QString()));
}

// A failover to a server that is not in the same cluster finds another bucket under the same name: the
// revision an edit started from is that other bucket's. Saving went over the copy's key at the same
// revision number, a value the user never saw; an unchanged value kept showing the first bucket's.
void tst_ValueEditSession::anotherCopyOfTheBucketIsNeverSavedOver()
{
    // The same revisions in both: k at 3, j at 4.
    KvTwoCopies copies;
    QVERIFY(copies.start(u"copy"_s, {{u"k"_s, "b1"}, {u"k"_s, "b2"}, {u"k"_s, "b3"}, {u"j"_s, "jb"}},
                         {{u"k"_s, "a1"}, {u"k"_s, "a2"}, {u"k"_s, "a3"}, {u"j"_s, "ja"}}));
    KvBucket *bucket = copies.bucket();
    KeyListModel keys;
    QSignalSpy loaded(&keys, &KeyListModel::loadingFinished);
    QSignalSpy replaced(&keys, &KeyListModel::bucketReplaced);
    keys.load(bucket);
    QVERIFY(loaded.wait(10000));
    ValueEditSession edited;
    ValueEditSession shown;
    for (auto [session, key] : {std::pair{&edited, u"k"_s}, std::pair{&shown, u"j"_s}}) {
        session->setBucket(bucket, &keys);
        QSignalSpy opened(session, &ValueEditSession::opened);
        session->open(key);
        QVERIFY(opened.wait(10000));
    }
    QCOMPARE(edited.entry().value, "a3"_ba);
    QCOMPARE(edited.baseRevision(), 3u);
    edited.setModified(true);

    QVERIFY(copies.killSecond());
    QVERIFY(replaced.wait(20000));
    QTRY_COMPARE_WITH_TIMEOUT(shown.entry().value, "jb"_ba, 10000);
    QVERIFY2(edited.notice().contains(u"another server"_s), qPrintable(edited.notice()));
    QCOMPARE(edited.entry().value, "a3"_ba); // the user's edit and what it started from stay

    QVERIFY2(edited.baseElsewhere().contains(u"another server"_s), qPrintable(edited.baseElsewhere()));
    QSignalSpy refused(&edited, &ValueEditSession::saveRefused);
    edited.save(u"mine"_s);
    QVERIFY(refused.wait(10000));
    QCOMPARE(refused.first().at(0).value<KvEntry>().value, "b3"_ba);
    QCOMPARE(KvTest::value(bucket, u"k"_s), "b3"_ba);
    // Overwriting is a choice made on the copy's revision shown, and guarded by it.
    edited.resolve(Choice::Overwrite);
    QTRY_COMPARE_WITH_TIMEOUT(KvTest::value(bucket, u"k"_s), "mine"_ba, 10000);
}

// A bucket deleted and made again numbers its revisions from 1 again: an edit of revision 3 of the
// deleted one was saved as revision 4 over the new bucket's revision 3, which nobody here had seen.
void tst_ValueEditSession::aBucketMadeAgainIsNeverSavedOver()
{
    KvBucketConfig config;
    config.bucket = u"again%1"_s.arg(m_counter);
    config.history = 5;
    QVERIFY(KvTest::createBucket(m_kv, config));
    KvBucket *bucket = m_kv->bucket(config.bucket, this);
    for (const QByteArray &value : {"v1"_ba, "v2"_ba, "v3"_ba})
        WAIT_OK(bucket->put(u"k"_s, value));
    KeyListModel keys;
    QSignalSpy loaded(&keys, &KeyListModel::loadingFinished);
    keys.load(bucket);
    QVERIFY(loaded.wait(10000));
    ValueEditSession session;
    session.setBucket(bucket, &keys);
    QSignalSpy opened(&session, &ValueEditSession::opened);
    session.open(u"k"_s);
    QVERIFY(opened.wait(10000));
    session.setModified(true);

    WAIT_OK(m_kv->deleteBucket(config.bucket));
    QTRY_VERIFY_WITH_TIMEOUT(session.notice().contains(u"deleted"_s), 20000);
    QVERIFY(KvTest::createBucket(m_kv, config));
    KvBucket *madeAgain = m_kv->bucket(config.bucket, this);
    for (const QByteArray &value : {"r1"_ba, "r2"_ba, "r3"_ba})
        WAIT_OK(madeAgain->put(u"k"_s, value));

    QSignalSpy refused(&session, &ValueEditSession::saveRefused);
    session.save(u"mine"_s);
    QVERIFY(refused.wait(10000));
    QCOMPARE(refused.first().at(0).value<KvEntry>().value, "r3"_ba);
    QCOMPARE(KvTest::value(bucket, u"k"_s), "r3"_ba);
}

QTEST_MAIN(tst_ValueEditSession)

#include "tst_valueeditsession.moc"
