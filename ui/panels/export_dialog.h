#pragma once

#include <QtWidgets/QDialog>

class QComboBox;
class QLineEdit;

namespace wemoe::ui {

// Asks which finished method's merged model to export, where, and in which
// dtype; confirms before replacing an existing folder.
class ExportDialog : public QDialog
{
    Q_OBJECT

public:
    ExportDialog(const QStringList &rows, const QString &preselected, const QString &defaultFolder,
                 QWidget *parent = nullptr);

    QString rowLabel() const;
    QString folder() const;
    QString dtype() const;
    // True once the user agreed to replace an existing folder.
    bool overwrite() const { return m_overwrite; }

public Q_SLOTS:
    void accept() override;

private:
    void browse();

    QComboBox *m_row;
    QLineEdit *m_folder;
    QComboBox *m_dtype;
    bool m_overwrite = false;
};

} // namespace wemoe::ui
