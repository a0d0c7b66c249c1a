#pragma once

#include "kvbucketconfig.h"

#include <QtWidgets/QDialog>

class BucketFeaturesBox;
class JsServerCapabilities;
class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QFormLayout;
class QGroupBox;
class ErrorLabel;
class QLineEdit;
class QSpinBox;

// Create or edit a bucket. Every field is checked as it is typed (name rule, history 1–64, sizes like
// "64KiB", durations like "1h30m") and the problem is shown under the form once the user has typed or
// tried to accept (an untouched form is not an error); from then on OK is only enabled when the whole
// configuration is valid.
class BucketDialog final : public QDialog
{
    Q_OBJECT

public:
    enum class Mode {
        Create,
        Edit
    };

    explicit BucketDialog(Mode mode, QWidget *parent = nullptr);

    void setConfig(const KvBucketConfig &config, const QMap<QString, QString> &serverMetadata = {});
    // What the connected server can do: settings it lacks are disabled, with the reason as tooltip.
    void setServer(JsServerCapabilities *server);
    // Valid only when validationError() is empty.
    KvBucketConfig config() const;
    QString validationError() const { return m_error; }

public Q_SLOTS:
    // With the form valid: closes it, or, when something is connected to submitted(), hands the
    // configuration over and stays open (as typed) until serverAnswered() says whether the server took it.
    void accept() override;
    // The server's answer to submitted(): empty closes the dialog as accepted; else the refusal is shown
    // in it, to fix and try again.
    void serverAnswered(const QString &refusal);

Q_SIGNALS:
    void submitted(const KvBucketConfig &config);

private:
    QFormLayout *createBasicForm(Mode mode);
    QGroupBox *createAdvancedGroup(Mode mode);
    void validate();
    void refuseHistory(const QString &input);
    QString historyProblem() const;
    void showProblems();
    bool readConfig(KvBucketConfig *config, QString *error) const;
    void readLimits(KvBucketConfig *c, QStringList *problems) const;
    void readPlacement(KvBucketConfig *c, QStringList *problems) const;

    Mode m_mode;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_description = nullptr;
    QSpinBox *m_history = nullptr;
    QLineEdit *m_ttl = nullptr;
    QLineEdit *m_maxBytes = nullptr;
    QLineEdit *m_maxValueSize = nullptr;
    QComboBox *m_storage = nullptr;
    QSpinBox *m_replicas = nullptr;
    QLineEdit *m_placementCluster = nullptr;
    QLineEdit *m_placementTags = nullptr;
    QLineEdit *m_republishSource = nullptr;
    QLineEdit *m_republishDestination = nullptr;
    QCheckBox *m_republishHeadersOnly = nullptr;
    QLineEdit *m_mirror = nullptr;
    QLineEdit *m_sources = nullptr;
    BucketFeaturesBox *m_features = nullptr;
    ErrorLabel *m_errorLabel = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    KvBucketConfig m_original;
    QString m_error;
    QString m_historyRefused; // why a keystroke in History was refused, until it is typed in again
    bool m_showProblems = false;
    bool m_waiting = false; // submitted, not answered yet
};
