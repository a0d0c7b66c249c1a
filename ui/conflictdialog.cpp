#include "conflictdialog.h"

#include "diffview.h"
#include "humanformat.h"

#include <QtCore/QTimer>
#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {
// How long the choices that act on their version stay off after it changed: a click already on its way
// (a tryout's came 20-50 ms after the change) must not land on a revision nobody could have read.
constexpr int kSettleMs = 1000;
} // namespace

ConflictDialog::ConflictDialog(const QString &key, const QString &mine, quint64 baseRevision, const KvEntry &theirs,
                               const QString &theirsText, QWidget *parent)
    : QDialog(parent)
    , m_key(key)
    , m_mine(mine)
    , m_baseRevision(baseRevision)
{
    setObjectName(u"conflictDialog"_s);
    setWindowTitle(tr("Key Changed by Someone Else"));
    m_intro = new QLabel(this);
    m_intro->setObjectName(u"conflictIntro"_s);
    m_intro->setWordWrap(true);
    m_diff = new DiffView(this);
    m_diff->setObjectName(u"conflictDiff"_s);
    QDialogButtonBox *buttons = createButtons();
    m_settle = new QTimer(this);
    m_settle->setSingleShot(true);
    m_settle->setInterval(kSettleMs);
    connect(m_settle, &QTimer::timeout, this, [this] { enableChoices(true); });
    showTheirs(theirs, theirsText, false);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_intro);
    layout->addWidget(m_diff, 1);
    layout->addWidget(buttons);
    resize(900, 500);
}

void ConflictDialog::setTheirs(const KvEntry &theirs, const QString &theirsText)
{
    showTheirs(theirs, theirsText, true);
}

// Their side everywhere it shows: the first sentence, the diff, what each choice would do.
void ConflictDialog::showTheirs(const KvEntry &theirs, const QString &theirsText, bool again)
{
    m_theirs = theirs;
    m_intro->setText(introText(theirs, again));
    m_diff->setTexts(tr("Yours (based on revision %1)").arg(m_baseRevision), m_mine,
                     theirs.revision > 0 ? tr("Theirs (revision %1)").arg(theirs.revision)
                                         : tr("Theirs (the key is gone)"),
                     theirsText);
    m_overwrite->setToolTip(theirs.revision > 0
                                ? tr("Save your version as a new revision on top of revision %1").arg(theirs.revision)
                                : tr("Save your version as the key again"));
    m_take->setToolTip(theirs.revision > 0 ? tr("Discard your changes and open revision %1").arg(theirs.revision)
                                           : tr("Discard your changes: the key is gone"));
    // Revision 0: no marker is left, no value either.
    m_mergePossible = theirs.revision > 0 && !theirs.isDeleted();
    enableChoices(!again);
    if (again)
        m_settle->start();
    m_merge->setToolTip(theirs.revision == 0 ? tr("The key is gone: there is nothing to merge with")
                            : theirs.isDeleted()
                            ? tr("Revision %1 deleted the key: there is nothing to merge with").arg(theirs.revision)
                            : tr("Combine your changes since revision %1 with revision %2 and save the result on top "
                                 "of it; changes to the same JSON member or lines are shown for you to decide")
                                  .arg(m_baseRevision)
                                  .arg(theirs.revision));
}

// Keep Editing is always there: it writes nothing.
void ConflictDialog::enableChoices(bool enable)
{
    m_overwrite->setEnabled(enable);
    m_take->setEnabled(enable);
    m_merge->setEnabled(enable && m_mergePossible);
}

void ConflictDialog::setElsewhere(const QString &why)
{
    m_elsewhere = why;
    m_intro->setText(introText(m_theirs, false));
}

// What happened: the revision the user opened, and what someone else did since.
QString ConflictDialog::introText(const KvEntry &theirs, bool again) const
{
    // Revision 0: the key is not there at all (it expired, or was purged, and no marker is left).
    const QString what = theirs.revision == 0
        ? tr("the key has left the bucket (its TTL or the bucket's age limit ran out, or its history was "
             "removed)")
        : theirs.isLimitMarker() ? tr("the server removed it (%1) at revision %2, %3")
                                       .arg(theirs.operationLabel())
                                       .arg(theirs.revision)
                                       .arg(HumanFormat::localTime(theirs.created))
        : theirs.isDeleted()
        ? tr("someone else deleted it (%1) at revision %2, %3")
              .arg(theirs.operationLabel())
              .arg(theirs.revision)
              .arg(HumanFormat::localTime(theirs.created))
        : tr("someone else saved revision %1 at %2").arg(theirs.revision).arg(HumanFormat::localTime(theirs.created));
    const QString text = !m_elsewhere.isEmpty()
        ? tr("Your changes to <b>%1</b> were not saved: %2 %3 Nothing has been overwritten.")
              .arg(m_key.toHtmlEscaped(), m_elsewhere.toHtmlEscaped(),
                   theirs.revision == 0 ? tr("It holds no such key.")
                                        : tr("It holds revision %1 of the key (%2, %3).")
                                              .arg(theirs.revision)
                                              .arg(theirs.operationLabel(), HumanFormat::localTime(theirs.created)))
        : tr("Your changes to <b>%1</b> were not saved: you opened revision %2, and since then "
             "%3. Nothing has been overwritten.")
              .arg(m_key.toHtmlEscaped())
              .arg(m_baseRevision)
              .arg(what);
    return again ? text + u' '
            + tr("<b>It changed again while this was open</b>: what is shown, and what each "
                 "choice does, is revision %1.")
                  .arg(theirs.revision)
                 : text;
}

// One button per choice; Keep Editing is the default.
QDialogButtonBox *ConflictDialog::createButtons()
{
    auto *buttons = new QDialogButtonBox(this);
    m_overwrite = addChoice(buttons, tr("&Overwrite with Mine"), QDialogButtonBox::DestructiveRole,
                            u"overwriteButton"_s, Choice::Overwrite);
    m_take = addChoice(buttons, tr("&Take Theirs"), QDialogButtonBox::ResetRole, u"takeTheirsButton"_s,
                       Choice::TakeTheirs);
    m_merge = addChoice(buttons, tr("&Merge"), QDialogButtonBox::AcceptRole, u"mergeButton"_s, Choice::Merge);
    QPushButton *keep = buttons->addButton(tr("&Keep Editing"), QDialogButtonBox::RejectRole);
    keep->setObjectName(u"keepEditingButton"_s);
    keep->setToolTip(tr("Nothing is saved; your text stays in the editor"));
    keep->setDefault(true);
    connect(keep, &QPushButton::clicked, this, &QDialog::reject);
    return buttons;
}

// A button that accepts the dialog with choice.
QPushButton *ConflictDialog::addChoice(QDialogButtonBox *buttons, const QString &text,
                                       QDialogButtonBox::ButtonRole role, const QString &objectName, Choice choice)
{
    QPushButton *button = buttons->addButton(text, role);
    button->setObjectName(objectName);
    connect(button, &QPushButton::clicked, this, [this, choice] {
        m_choice = choice;
        accept();
    });
    return button;
}
