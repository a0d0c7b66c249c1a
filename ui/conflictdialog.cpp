#include "conflictdialog.h"

#include "diffview.h"
#include "humanformat.h"

#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

ConflictDialog::ConflictDialog(const QString &key, const QString &mine, quint64 baseRevision, const KvEntry &theirs,
                               const QString &theirsText, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(u"conflictDialog"_s);
    setWindowTitle(tr("Key Changed by Someone Else"));
    QLabel *intro = createIntro(key, baseRevision, theirs);
    auto *diff = new DiffView(this);
    diff->setObjectName(u"conflictDiff"_s);
    diff->setTexts(tr("Yours (based on revision %1)").arg(baseRevision), mine,
                   theirs.revision > 0 ? tr("Theirs (revision %1)").arg(theirs.revision)
                                       : tr("Theirs (the key is gone)"),
                   theirsText);
    QDialogButtonBox *buttons = createButtons(baseRevision, theirs);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(diff, 1);
    layout->addWidget(buttons);
    resize(900, 500);
}

// What happened: the revision the user opened, and what someone else did since.
QLabel *ConflictDialog::createIntro(const QString &key, quint64 baseRevision, const KvEntry &theirs)
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
    auto *intro = new QLabel(tr("Your changes to <b>%1</b> were not saved: you opened revision %2, and since then "
                                "%3. Nothing has been overwritten.")
                                 .arg(key.toHtmlEscaped())
                                 .arg(baseRevision)
                                 .arg(what),
                             this);
    intro->setWordWrap(true);
    return intro;
}

// One button per choice; Keep Editing is the default, and Merge needs a value to merge with.
QDialogButtonBox *ConflictDialog::createButtons(quint64 baseRevision, const KvEntry &theirs)
{
    auto *buttons = new QDialogButtonBox(this);
    QPushButton *overwrite = addChoice(buttons, tr("&Overwrite with Mine"), QDialogButtonBox::DestructiveRole,
                                       u"overwriteButton"_s, Choice::Overwrite);
    overwrite->setToolTip(theirs.revision > 0
                              ? tr("Save your version as a new revision on top of revision %1").arg(theirs.revision)
                              : tr("Save your version as the key again"));
    QPushButton *take = addChoice(buttons, tr("&Take Theirs"), QDialogButtonBox::ResetRole, u"takeTheirsButton"_s,
                                  Choice::TakeTheirs);
    take->setToolTip(theirs.revision > 0 ? tr("Discard your changes and open revision %1").arg(theirs.revision)
                                         : tr("Discard your changes: the key is gone"));
    // Revision 0: no marker is left, no value either.
    const bool noValue = theirs.revision == 0 || theirs.isDeleted();
    QPushButton *merge = addChoice(buttons, tr("&Merge"), QDialogButtonBox::AcceptRole, u"mergeButton"_s,
                                   Choice::Merge);
    merge->setEnabled(!noValue);
    merge->setToolTip(theirs.revision == 0 ? tr("The key is gone: there is nothing to merge with")
                          : theirs.isDeleted()
                          ? tr("Revision %1 deleted the key: there is nothing to merge with").arg(theirs.revision)
                          : tr("Combine your changes since revision %1 with revision %2 and save the result on top of "
                               "it; changes to the same JSON member or lines are shown for you to decide")
                                .arg(baseRevision)
                                .arg(theirs.revision));
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
