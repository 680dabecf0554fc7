#include "evidence.h"

using namespace Qt::StringLiterals;

namespace sa::advisor {

double statedPeak(const Recommendation &recommendation)
{
    for (const AnsweredQuestion &answer : recommendation.answers) {
        if (answer.questionId == u"peak-rps"_s)
            return answer.value.toDouble();
    }
    return 0;
}

} // namespace sa::advisor
