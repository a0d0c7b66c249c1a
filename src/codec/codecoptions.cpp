#include "codecoptions.h"

#include <algorithm>
#include <limits>

CodecOptions CodecOptions::forMaxValueSize(qint64 maxValueSize, int factor)
{
    CodecOptions options;
    if (maxValueSize > 0 && factor > 0) {
        const qint64 room = maxValueSize > std::numeric_limits<qint32>::max() / factor
            ? qint64(std::numeric_limits<qint32>::max())
            : maxValueSize * factor;
        options.maxOutputSize = qsizetype(std::max<qint64>(room, defaultMaxOutputSize));
    }
    return options;
}
