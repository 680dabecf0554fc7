#include "advisorpage.h"

#include "comparisonview.h"
#include "questionnaireform.h"
#include "recommendationview.h"

#include "advisor/comparison.h"
#include "bench/capacitypanel.h"

#include <QAction>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QStandardPaths>
#include <QVBoxLayout>

namespace sa::ui {

namespace {

const QString kSettingsKey = QStringLiteral("advisor/answers");
const QString kPriceKey = QStringLiteral("advisor/pricePerVcpuMonth");
const QString kCoresKey = QStringLiteral("advisor/coresPerServer");
const QString kFileFilter = QStringLiteral("Stack Advisor answers (*.json);;All files (*)");

QScrollArea *scrolling(QWidget *content, QWidget *parent)
{
    auto *area = new QScrollArea(parent);
    area->setWidget(content);
    area->setWidgetResizable(true);
    area->setFrameShape(QFrame::NoFrame);
    area->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    return area;
}

} // namespace

AdvisorPage::AdvisorPage(QWidget *parent) : QWidget(parent)
{
    setAccessibleName(tr("Advisor"));
    auto *layout = new QVBoxLayout(this);

    QString error;
    m_scorer = advisor::Scorer::fromResources(&error);
    if (!m_scorer) {
        // Broken data files are shown, not hidden behind defaults.
        auto *message = new QLabel(tr("The advisor's data could not be loaded:\n%1").arg(error), this);
        message->setWordWrap(true);
        message->setTextInteractionFlags(Qt::TextSelectableByMouse);
        layout->addWidget(message);
        layout->addStretch(1);
        return;
    }

    auto *toolbar = new QHBoxLayout;
    auto *title = new QLabel(tr("Answer the questions; the recommendation updates as you go."), this);
    auto *open = new QPushButton(tr("&Open answers…"), this);
    auto *save = new QPushButton(tr("&Save answers…"), this);
    auto *compare = new QPushButton(tr("&Compare with…"), this);
    auto *reset = new QPushButton(tr("&Reset"), this);
    open->setToolTip(tr("Load answers from a JSON file (Ctrl+O)"));
    save->setToolTip(tr("Save these answers to a JSON file (Ctrl+S)"));
    compare->setToolTip(tr("Compare these answers with those of a file, side by side"));
    reset->setToolTip(tr("Back to “Not sure” everywhere: no answer favours either stack"));
    compare->setObjectName(QStringLiteral("compareButton"));
    toolbar->addWidget(title, 1);
    toolbar->addWidget(open);
    toolbar->addWidget(save);
    toolbar->addWidget(compare);
    toolbar->addWidget(reset);
    layout->addLayout(toolbar);
    m_notice = new QLabel(this);
    m_notice->setWordWrap(true);
    m_notice->setAccessibleName(tr("Notice"));
    m_notice->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_notice->hide();
    layout->addWidget(m_notice);

    auto *openAction = new QAction(this);
    openAction->setShortcut(QKeySequence::Open);
    openAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(openAction);
    auto *saveAction = new QAction(this);
    saveAction->setShortcut(QKeySequence::Save);
    saveAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(saveAction);

    m_form = new QuestionnaireForm(m_scorer->questionnaire(), this);
    m_view = new RecommendationView(this);
    m_capacity = new CapacityPanel(m_view);
    m_view->addSection(tr("Capacity and cost at your peak"), m_capacity);
    // A price or server size the user set earlier; the data's defaults otherwise.
    advisor::CostAssumptions cost = m_scorer->capacityModel().defaultCost();
    if (const QVariant price = QSettings().value(kPriceKey); price.isValid())
        cost = cost.withPrice(price.toDouble());
    if (const QVariant cores = QSettings().value(kCoresKey); cores.isValid())
        cost = cost.withCoresPerServer(cores.toInt());
    m_cost = cost;

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setChildrenCollapsible(false);
    auto *formArea = scrolling(m_form, splitter);
    formArea->setAccessibleName(tr("Questionnaire"));
    formArea->setMinimumWidth(380);
    auto *viewArea = scrolling(m_view, splitter);
    viewArea->setAccessibleName(tr("Recommendation"));
    splitter->addWidget(formArea);
    splitter->addWidget(viewArea);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({ 440, 840 });
    layout->addWidget(splitter, 1);

    connect(open, &QPushButton::clicked, this, &AdvisorPage::chooseAndOpen);
    connect(openAction, &QAction::triggered, this, &AdvisorPage::chooseAndOpen);
    connect(save, &QPushButton::clicked, this, &AdvisorPage::chooseAndSave);
    connect(saveAction, &QAction::triggered, this, &AdvisorPage::chooseAndSave);
    connect(compare, &QPushButton::clicked, this, &AdvisorPage::chooseAndCompare);
    connect(reset, &QPushButton::clicked, this,
        [this] { m_form->setAnswers(advisor::Answers::unsure(m_scorer->questionnaire())); });
    connect(m_form, &QuestionnaireForm::answersChanged, this, &AdvisorPage::rescore);
    connect(m_capacity, &CapacityPanel::costChanged, this, &AdvisorPage::setCost);

    // The last answers, if they still fit the questionnaire (it may have changed since).
    const QByteArray saved = QSettings().value(kSettingsKey).toByteArray();
    QString problem;
    const std::optional<advisor::Answers> restored = saved.isEmpty()
        ? std::nullopt
        : advisor::Answers::fromJson(saved, tr("your last answers"), m_scorer->questionnaire(), &problem);
    if (restored) {
        m_form->setAnswers(*restored);
    } else {
        rescore();
        if (!saved.isEmpty()) {
            m_notice->setText(tr("Starting from “Not sure” everywhere: %1").arg(problem));
            m_notice->show();
        }
    }
}

const advisor::Recommendation &AdvisorPage::recommendation() const
{
    static const advisor::Recommendation none;
    return m_view ? m_view->recommendation() : none;
}

void AdvisorPage::rescore()
{
    const advisor::Answers answers = m_form->answers();
    QString error;
    if (!answers.validate(m_scorer->questionnaire(), &error)) {
        qWarning("advisor: %s", qPrintable(error)); // the form only offers valid answers
        return;
    }
    const advisor::Recommendation recommendation
        = m_scorer->recommend(answers, m_scorer->evidenceFor(m_run ? &*m_run : nullptr), *m_cost);
    m_view->setRecommendation(recommendation);
    m_capacity->setRecommendation(recommendation);
    QSettings().setValue(kSettingsKey, answers.toJsonText());
    Q_EMIT recommendationChanged(recommendation);
}

void AdvisorPage::setRun(const bench::RunResult &run)
{
    m_run = bench::RunAnalysis::analyse(run);
    if (m_scorer && m_form) {
        m_capacity->setRun(*m_run);
        rescore();
    }
}

void AdvisorPage::setCost(const advisor::CostAssumptions &cost)
{
    m_cost = cost;
    const advisor::CostAssumptions &defaults = m_scorer->capacityModel().defaultCost();
    QSettings settings;
    if (cost.pricePerVcpuMonth != defaults.pricePerVcpuMonth)
        settings.setValue(kPriceKey, cost.pricePerVcpuMonth);
    else
        settings.remove(kPriceKey);
    if (cost.coresPerServer != defaults.coresPerServer)
        settings.setValue(kCoresKey, cost.coresPerServer);
    else
        settings.remove(kCoresKey);
    rescore();
}

bool AdvisorPage::compareWith(const QString &path, QString *error)
{
    if (!m_scorer) {
        *error = tr("the advisor's data could not be loaded");
        return false;
    }
    const std::optional<advisor::Answers> other
        = advisor::Answers::load(path, m_scorer->questionnaire(), error);
    if (!other)
        return false;
    const advisor::Recommendation theirs
        = m_scorer->recommend(*other, m_scorer->evidenceFor(m_run ? &*m_run : nullptr), *m_cost);
    const advisor::Comparison comparison
        = advisor::compare(recommendation(), tr("Your answers"), theirs, QFileInfo(path).fileName());
    if (!m_comparisonDialog) {
        m_comparisonDialog = new QDialog(this);
        m_comparisonDialog->setWindowTitle(tr("Compare answers"));
        m_comparisonDialog->setObjectName(QStringLiteral("comparisonDialog"));
        auto *layout = new QVBoxLayout(m_comparisonDialog);
        m_comparison = new ComparisonView;
        auto *area = scrolling(m_comparison, m_comparisonDialog);
        layout->addWidget(area, 1);
        auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, m_comparisonDialog);
        connect(buttons, &QDialogButtonBox::rejected, m_comparisonDialog, &QDialog::close);
        layout->addWidget(buttons);
        m_comparisonDialog->resize(960, 640);
    }
    m_comparison->setComparison(comparison);
    m_comparisonDialog->show();
    m_comparisonDialog->raise();
    return true;
}

ComparisonView *AdvisorPage::comparisonView() const
{
    return m_comparisonDialog ? m_comparison : nullptr;
}

QString AdvisorPage::notice() const
{
    return m_notice && m_notice->isVisibleTo(this) ? m_notice->text() : QString();
}

bool AdvisorPage::openAnswers(const QString &path, QString *error)
{
    if (!m_scorer) {
        *error = tr("the advisor's data could not be loaded");
        return false;
    }
    const std::optional<advisor::Answers> answers
        = advisor::Answers::load(path, m_scorer->questionnaire(), error);
    if (!answers)
        return false;
    m_form->setAnswers(*answers);
    m_notice->hide();
    return true;
}

bool AdvisorPage::saveAnswers(const QString &path, QString *error) const
{
    if (!m_form) {
        *error = tr("the advisor's data could not be loaded");
        return false;
    }
    return m_form->answers().save(path, error);
}

void AdvisorPage::chooseAndOpen()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open answers"), QString(), kFileFilter);
    if (path.isEmpty())
        return;
    QString error;
    if (!openAnswers(path, &error))
        QMessageBox::warning(this, tr("Open answers"), tr("These answers cannot be used:\n%1").arg(error));
}

void AdvisorPage::chooseAndCompare()
{
    const QString path
        = QFileDialog::getOpenFileName(this, tr("Compare with answers"), QString(), kFileFilter);
    if (path.isEmpty())
        return;
    QString error;
    if (!compareWith(path, &error))
        QMessageBox::warning(this, tr("Compare answers"), tr("These answers cannot be used:\n%1").arg(error));
}

void AdvisorPage::chooseAndSave()
{
    QString path = QFileDialog::getSaveFileName(this, tr("Save answers"),
        QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation) + QLatin1String("/answers.json"),
        kFileFilter);
    if (path.isEmpty())
        return;
    if (!path.endsWith(QLatin1String(".json")))
        path += QLatin1String(".json");
    QString error;
    if (!saveAnswers(path, &error))
        QMessageBox::warning(this, tr("Save answers"), error);
}

} // namespace sa::ui
