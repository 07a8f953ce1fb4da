#pragma once

#include "controllers/export_controller.h"

#include <QtCore/QVector>
#include <QtWidgets/QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace wemoe::ui {

// One thing the export dialog can write: a result's row and how.
struct ExportChoice
{
    QString row;
    ExportKind kind = ExportKind::MergedModel;
};

// Asks what to export (a finished method's merged model, the WEMoE model
// file, WEMoE collapsed per task), where, and in which dtype; confirms before
// replacing an existing file or folder.
class ExportDialog : public QDialog
{
    Q_OBJECT

public:
    // `defaultFolder`: where targets are proposed (each kind names its own default inside it).
    ExportDialog(const QVector<ExportChoice> &choices, const QString &preselectedRow, const QString &defaultFolder,
                 QWidget *parent = nullptr);

    ExportChoice choice() const;
    QString rowLabel() const { return choice().row; }
    QString folder() const; // the target: a folder, or the .safetensors file of a WEMoE model
    QString dtype() const;
    // True once the user agreed to replace an existing target.
    bool overwrite() const { return m_overwrite; }
    // "task_arithmetic (λ=0.3) — merged model (Hugging Face folder)"
    static QString describe(const ExportChoice &choice);

public Q_SLOTS:
    void accept() override;

protected:
    void changeEvent(QEvent *event) override;

private:
    // Every text the dialog sets; again when the language switches.
    void retranslateUi();
    void browse();
    void onChoiceChanged();

    QVector<ExportChoice> m_choices;
    QComboBox *m_choice;
    QLineEdit *m_folder;
    QComboBox *m_dtype;
    QPushButton *m_browse;
    QPushButton *m_export;
    QLabel *m_choiceLabel;
    QLabel *m_targetLabel;
    QLabel *m_dtypeLabel;
    bool m_overwrite = false;
};

} // namespace wemoe::ui
