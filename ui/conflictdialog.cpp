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
    const QString what = theirs.isDeleted()
        ? tr("deleted it (%1) at revision %2, %3")
              .arg(theirs.operationLabel())
              .arg(theirs.revision)
              .arg(HumanFormat::localTime(theirs.created))
        : tr("saved revision %1 at %2").arg(theirs.revision).arg(HumanFormat::localTime(theirs.created));
    auto *intro = new QLabel(
        tr("Your changes to <b>%1</b> were not saved: you opened revision %2, and since then someone "
           "else %3. Nothing has been overwritten.")
            .arg(key.toHtmlEscaped())
            .arg(baseRevision)
            .arg(what),
        this);
    intro->setWordWrap(true);

    auto *diff = new DiffView(this);
    diff->setObjectName(u"conflictDiff"_s);
    diff->setTexts(tr("Yours (based on revision %1)").arg(baseRevision), mine,
                   tr("Theirs (revision %1)").arg(theirs.revision), theirsText);

    auto *buttons = new QDialogButtonBox(this);
    QPushButton *overwrite = buttons->addButton(tr("&Overwrite with Mine"), QDialogButtonBox::DestructiveRole);
    overwrite->setObjectName(u"overwriteButton"_s);
    overwrite->setToolTip(tr("Save your version as a new revision on top of revision %1").arg(theirs.revision));
    QPushButton *take = buttons->addButton(tr("&Take Theirs"), QDialogButtonBox::ResetRole);
    take->setObjectName(u"takeTheirsButton"_s);
    take->setToolTip(tr("Discard your changes and open revision %1").arg(theirs.revision));
    QPushButton *merge = buttons->addButton(tr("&Merge"), QDialogButtonBox::AcceptRole);
    merge->setObjectName(u"mergeButton"_s);
    merge->setEnabled(!theirs.isDeleted());
    merge->setToolTip(theirs.isDeleted()
                          ? tr("Revision %1 deleted the key: there is nothing to merge with").arg(theirs.revision)
                          : tr("Combine your changes since revision %1 with revision %2 and save the result on top of "
                               "it; changes to the same JSON member or lines are shown for you to decide")
                                .arg(baseRevision)
                                .arg(theirs.revision));
    QPushButton *keep = buttons->addButton(tr("&Keep Editing"), QDialogButtonBox::RejectRole);
    keep->setObjectName(u"keepEditingButton"_s);
    keep->setDefault(true);
    connect(overwrite, &QPushButton::clicked, this, [this] {
        m_choice = Choice::Overwrite;
        accept();
    });
    connect(take, &QPushButton::clicked, this, [this] {
        m_choice = Choice::TakeTheirs;
        accept();
    });
    connect(merge, &QPushButton::clicked, this, [this] {
        m_choice = Choice::Merge;
        accept();
    });
    connect(keep, &QPushButton::clicked, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(diff, 1);
    layout->addWidget(buttons);
    resize(900, 500);
}
