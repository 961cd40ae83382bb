package data

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func TestVisitFormPDF(t *testing.T) {
	st, _, r := visitFixture(t)
	ctx := context.Background()
	dir := t.TempDir()
	blank := filepath.Join(dir, "blank.pdf")
	if err := st.VisitFormPDF(ctx, blank, nil); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, blank)
	for _, want := range []string{"上门服务记录表", "示例镇劳动保障站", "养老金领取资格认证", "社会保障卡申领/激活", "需要跟进", "发放政策卡片", "群众意见", "经办人签字"} {
		if !strings.Contains(text, want) {
			t.Errorf("blank form lacks %q", want)
		}
	}
	filled := filepath.Join(dir, "filled.pdf")
	if err := st.VisitFormPDF(ctx, filled, []string{r.ID}); err != nil {
		t.Fatal(err)
	}
	text = pdfText(t, filled)
	if !strings.Contains(text, "王秀英") || !strings.Contains(text, "430702********") || strings.Contains(text, "19400312") {
		t.Errorf("filled form: name or masked ID wrong:\n%s", text)
	}
}
