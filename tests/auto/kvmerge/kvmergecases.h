#pragma once

// The three-way merge cases of tst_kvmerge (KvMerge alone) that tst_kvmergeupdatecases runs again end to
// end against a real server (KvMergeUpdate): one table, so a case added here is tested both ways. Each
// adds its columns and rows to the current QTest data table.
namespace KvMergeCases {

// JSON values (all three sides) that merge cleanly: base, ours, theirs, expected (QByteArray).
void addCleanJsonRows();
// JSON values with one conflict: base, ours, theirs (QByteArray), where (its JSON Pointer) and values
// (QString: base | ours | theirs, each as KvJsonMerge::oneLine, "(absent)" where the member is not).
void addJsonConflictRows();
// Values that are not text: base, ours, theirs (QByteArray), reason (QString: the start of the reason,
// naming the side by its default label: base, ours, theirs).
void addRefusedRows();

} // namespace KvMergeCases
